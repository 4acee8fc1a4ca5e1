package io.stipple.worker.model;

import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.sd.SingleFileOptions;
import io.stipple.engine.sd.StableDiffusionModel;
import io.stipple.engine.sd.singlefile.StatedConfig;
import io.stipple.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.proto.ConfigProto;

/**
 * Loads an imported single-file checkpoint ({@value ImportedModel#SINGLE_FILE} beside its
 * {@link ImportedModel}) with what its importer stated (prediction type, native resolution, text-encoder
 * heads) and a CLIP tokenizer, which no single file holds: {@code tokenizer/} in the version folder when
 * the import stored one, else the worker's folder for the file's family
 * ({@code stipple.worker.single-file.tokenizers.sd1|sd2}; SD 1.x and 2.x share CLIP's vocabulary and
 * differ in padding, which each folder's {@code tokenizer_config.json} states).
 */
@ApplicationScoped
public class ImportedSingleFiles {

    private final WorkerConfig config;

    ImportedSingleFiles(WorkerConfig config) {
        this.config = config;
    }

    public DiffusionModel open(ModelRef ref, Path folder, ImportedModel record, ConfigProto session) throws IOException {
        Path file = folder.resolve(ImportedModel.SINGLE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelUnavailableException("model " + ref + " is recorded as a single file but has no "
                    + ImportedModel.SINGLE_FILE, null);
        }
        StatedConfig defaults = StatedConfig.sdDefaults();
        StatedConfig stated = new StatedConfig(
                record.predictionType() != null ? record.predictionType() : defaults.predictionType(),
                record.textEncoderHeads() != null ? record.textEncoderHeads() : defaults.textEncoderHeads(),
                defaults.eosTokenId(),
                record.nativeResolution() > 0 ? record.nativeResolution() : defaults.nativeResolution());
        return StableDiffusionModel.loadSingleFile(file, new SingleFileOptions(stated, tokenizer(ref, folder, record)),
                session);
    }

    private Path tokenizer(ModelRef ref, Path folder, ImportedModel record) {
        Path stored = SingleFileOptions.tokenizerBeside(folder.resolve(ImportedModel.SINGLE_FILE));
        if (Files.isDirectory(stored)) {
            return stored;
        }
        String family = record.tokenizerFamily();
        Path configured = config.singleFile().tokenizers().get(family);
        if (configured == null) {
            throw new ModelUnavailableException("model " + ref + " is a single-file checkpoint (" + family + "), which "
                    + "holds no tokenizer, and this worker has none for " + family + ": set stipple.worker.single-file."
                    + "tokenizers." + family + " to a CLIP tokenizer folder (vocab.json, merges.txt, tokenizer_config.json)",
                    null);
        }
        return configured;
    }
}
