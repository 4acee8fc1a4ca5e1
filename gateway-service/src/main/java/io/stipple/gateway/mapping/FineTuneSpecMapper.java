package io.stipple.gateway.mapping;

import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.PriorPreservation;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.rest.model.FineTuneRequest;
import io.stipple.gateway.rest.model.MethodDefaults;
import io.stipple.gateway.rest.model.PriorPreservationRequest;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.service.CommonWords;
import io.stipple.gateway.service.SeedSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

import static io.stipple.gateway.mapping.GenerationSpecMapper.or;
import static io.stipple.gateway.rest.model.FineTuneDefaults.*;

/**
 * Resolves a validated {@link FineTuneRequest} into a {@link FineTuneSpec}: defaults applied,
 * seed chosen, and the rules that need more than one field (or a word list) checked. A Stable Diffusion
 * base (a model import) trains LoRA adapters on its U-Net only: its defaults are its own, and a full
 * fine-tune or a trained text encoder is refused naming the field.
 */
@ApplicationScoped
public class FineTuneSpecMapper {

    private static final FineTuneMethod DEFAULT_METHOD = FineTuneMethod.valueOf(METHOD.toUpperCase(Locale.ROOT));

    private final ModelRef defaultModel;
    private final SeedSource seeds;
    private final CommonWords commonWords;

    public FineTuneSpecMapper(GatewayConfig config, SeedSource seeds, CommonWords commonWords) {
        this.defaultModel = ModelRef.parse(config.defaultModel());
        this.seeds = seeds;
        this.commonWords = commonWords;
    }

    /** The base model the request names, or the default one. */
    public ModelRef baseOf(FineTuneRequest r) {
        return r.baseModel() == null ? defaultModel : ModelRef.parse(r.baseModel());
    }

    /** @param stableDiffusionBase whether {@link #baseOf} is a Stable Diffusion model (one the tenant imported) */
    public FineTuneSpec toSpec(FineTuneRequest r, boolean stableDiffusionBase) {
        FineTuneMethod method = or(r.method(), stableDiffusionBase ? FineTuneMethod.LORA : DEFAULT_METHOD);
        MethodDefaults defaults = stableDiffusionBase ? MethodDefaults.stableDiffusion() : MethodDefaults.of(method);
        if (stableDiffusionBase && method == FineTuneMethod.FULL) {
            throw new InvalidFieldException("method", "cannot be full: base model " + baseOf(r) + " is an imported"
                    + " Stable Diffusion model, which is fine-tuned with LoRA adapters on its U-Net only");
        }
        if (stableDiffusionBase && Boolean.TRUE.equals(r.trainTextEncoder())) {
            throw new InvalidFieldException("train_text_encoder", "cannot be true: base model " + baseOf(r) + " is an"
                    + " imported Stable Diffusion model, whose text encoder stays frozen (LoRA adapters on its U-Net only)");
        }
        if (method == FineTuneMethod.FULL && r.loraRank() != null) {
            throw new InvalidFieldException("lora_rank", "applies only to method lora");
        }
        String token = or(r.identifierToken(), IDENTIFIER_TOKEN);
        if (commonWords.contains(token)) {
            throw new InvalidFieldException("identifier_token", "\"" + token + "\" is a common word; the subject needs a "
                    + "rare token such as \"sks\" so that it does not inherit the word's meaning");
        }
        if (token.equals(r.classNoun())) {
            throw new InvalidFieldException("identifier_token", "must differ from class_noun");
        }
        return new FineTuneSpec(
                baseOf(r),
                r.instanceUploadId(),
                token,
                r.classNoun(),
                priorPreservation(r.priorPreservation()),
                or(r.steps(), defaults.steps()),
                or(r.learningRate(), defaults.learningRate()),
                or(r.batchSize(), Integer.parseInt(BATCH_SIZE)),
                r.seed() != null ? r.seed() : seeds.next(),
                or(r.trainTextEncoder(), defaults.trainTextEncoder()),
                method,
                or(r.loraRank(), defaults.loraRank()), // a full fine-tune's rank was refused above; its default is null
                r.outputModelName(),
                or(r.priority(), Priority.NORMAL),
                WebhookSpecs.of(r.webhook()));
    }

    private static PriorPreservation priorPreservation(PriorPreservationRequest p) {
        if (p == null) {
            return new PriorPreservation(true, Integer.parseInt(NUM_CLASS_IMAGES), Double.parseDouble(PRIOR_LOSS_WEIGHT));
        }
        return new PriorPreservation(or(p.enabled(), true), or(p.numClassImages(), Integer.parseInt(NUM_CLASS_IMAGES)),
                or(p.priorLossWeight(), Double.parseDouble(PRIOR_LOSS_WEIGHT)));
    }
}
