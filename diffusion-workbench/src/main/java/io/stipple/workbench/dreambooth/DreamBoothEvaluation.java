package io.stipple.workbench.dreambooth;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.Classification;
import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.Background;
import io.stipple.workbench.data.CaptionWriter;
import io.stipple.engine.data.Colour;
import io.stipple.engine.data.Fill;
import io.stipple.engine.data.Position;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.SceneSpec;
import io.stipple.workbench.data.Split;
import io.stipple.workbench.data.Subject;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.workbench.metrics.AttributeTally;
import io.stipple.workbench.metrics.FeatureSimilarity;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DreamBooth measurements of docs/dreambooth.md, with the attribute classifier as the judge:
 * <ul>
 * <li>subject fidelity: mean pairwise cosine similarity of classifier features between images the
 *     tuned model generates for "a sks star" and held-out renders of the subject; the base model's
 *     "a star" images give the floor, the subject's own instance renders the ceiling;</li>
 * <li>subject fidelity in context: each held-out render against one image generated for its own
 *     context ("a sks star in the top left on a gray background", its position and background),
 *     so the features compare the subject and not where it stands; floor: the base model's "a star"
 *     in the same contexts; ceiling: real renders of the subject in the same contexts (another
 *     size and jitter), the most any generator can score;</li>
 * <li>subject fidelity in context, size matched: the same with the size named too ("a large sks
 *     star in the top left on a gray background"), its floor the base's "a large star ..." and its
 *     ceiling real renders of that size in that context: only jitter (position and scale within
 *     a few percent) is left free, so the ceiling is what a perfect generator of the prompt scores;</li>
 * <li>recontextualisation: "a sks star in the bottom right on a white background" over every
 *     position and background: share of images whose classified position and background obey;</li>
 * <li>prior preservation: attribute adherence of class prompts ("a large red star in the top
 *     left on a gray background", from TEST scenes made stars) before and after tuning.</li>
 * </ul>
 */
public final class DreamBoothEvaluation {

    private static final int CHUNK = 50;

    /**
     * @param images "a sks star" (and floor) images generated
     * @param heldOut held-out subject renders compared against
     * @param recontextSeeds images per (position, background) prompt
     * @param classPrompts class prompts for prior preservation
     */
    public record Settings(String token, int images, int heldOut, int recontextSeeds, int classPrompts,
            String sampler, int steps, double guidance, long seed) {
    }

    private final AttributeClassifier classifier;
    private final Settings settings;
    private Map<String, Double> baseAdherence;
    private double inContextFloor;
    private double inContextCeiling;
    private double sizedFloor;
    private double sizedCeiling;

    public DreamBoothEvaluation(AttributeClassifier classifier, Settings settings) {
        this.classifier = classifier;
        this.settings = settings;
    }

    /**
     * What depends on the base alone, measured once for any number of tuned versions: the
     * fidelity floor (the base's "a star") and ceiling (instance renders), and the class prompts'
     * adherence before tuning.
     */
    public Map<String, Object> measureBase(DiffusionModel base) {
        int size = side(base);
        Map<String, Object> out = new LinkedHashMap<>();
        float[] heldOut = heldOutFeatures(size);
        int dim = heldOut.length / settings.heldOut();
        float[] instanceRenders = features(BuiltInSubject.instances(5, size), 5, size);
        float[] baseClass = features(sample(base, Collections.nCopies(settings.images(), "a " + Subject.CLASS_NOUN)),
                settings.images(), size);
        out.put("fidelity_floor_base_class_prompt", FeatureSimilarity.meanPairwiseCosine(baseClass, heldOut, dim));
        out.put("fidelity_ceiling_instance_renders", FeatureSimilarity.meanPairwiseCosine(instanceRenders, heldOut, dim));
        inContextFloor = inContextFidelity(base, null, false, heldOut, size);
        inContextCeiling = realRendersInContext(false, heldOut, size);
        out.put("fidelity_in_context_floor_base_class_prompt", inContextFloor);
        out.put("fidelity_in_context_ceiling_real_renders", inContextCeiling);
        sizedFloor = inContextFidelity(base, null, true, heldOut, size);
        sizedCeiling = realRendersInContext(true, heldOut, size);
        out.put("fidelity_in_context_sized_floor_base_class_prompt", sizedFloor);
        out.put("fidelity_in_context_sized_ceiling_real_renders", sizedCeiling);
        baseAdherence = classAdherence(base, size);
        out.put("class_adherence", baseAdherence);
        return out;
    }

    /** The tuned version's numbers; call {@link #measureBase} first (the adherence drop is against it). */
    public Map<String, Object> measure(DiffusionModel tuned) {
        if (baseAdherence == null) {
            throw new IllegalStateException("measure the base first");
        }
        int size = side(tuned);
        Map<String, Object> out = new LinkedHashMap<>();
        float[] heldOut = heldOutFeatures(size);
        float[] subject = features(sample(tuned, Collections.nCopies(settings.images(),
                "a " + settings.token() + " " + Subject.CLASS_NOUN)), settings.images(), size);
        out.put("subject_fidelity", FeatureSimilarity.meanPairwiseCosine(subject, heldOut, heldOut.length / settings.heldOut()));
        double inContext = inContextFidelity(tuned, settings.token(), false, heldOut, size);
        out.put("subject_fidelity_in_context", inContext);
        out.put("subject_fidelity_in_context_gap_closed", (inContext - inContextFloor) / (inContextCeiling - inContextFloor));
        double sized = inContextFidelity(tuned, settings.token(), true, heldOut, size);
        out.put("subject_fidelity_in_context_sized", sized);
        out.put("subject_fidelity_in_context_sized_gap_closed", (sized - sizedFloor) / (sizedCeiling - sizedFloor));
        out.put("recontextualisation", recontextualisation(tuned, size));
        Map<String, Double> after = classAdherence(tuned, size);
        Map<String, Object> prior = new LinkedHashMap<>();
        prior.put("class_adherence", after);
        prior.put("drop_points", 100 * (baseAdherence.get("mean") - after.get("mean")));
        out.put("prior_preservation", prior);
        return out;
    }

    /**
     * Matched cosine of one image per held-out render, generated for that render's position and
     * background (and size, when {@code sized}): "a [large ]{token} star ..." ({@code token} null:
     * the plain class prompt).
     */
    private double inContextFidelity(DiffusionModel model, String token, boolean sized, float[] heldOut, int size) {
        List<String> prompts = new ArrayList<>();
        for (Scene scene : Subject.heldOut(settings.heldOut())) {
            prompts.add("a " + (sized ? scene.size().word() + " " : "") + (token == null ? "" : token + " ")
                    + Subject.CLASS_NOUN + " " + scene.position().phrase(scene.position().word()) + " on a "
                    + scene.background().word() + " background");
        }
        float[] generated = features(sample(model, prompts), prompts.size(), size);
        return FeatureSimilarity.meanMatchedCosine(generated, heldOut, heldOut.length / settings.heldOut());
    }

    /**
     * The ceiling: matched cosine of held-out render i against a real render in its position and
     * background (and size, when {@code sized}), with the rest (jitter, scale; the size otherwise)
     * of another subject render.
     */
    private double realRendersInContext(boolean sized, float[] heldOut, int size) {
        List<Scene> held = Subject.heldOut(settings.heldOut());
        List<Scene> others = Subject.instances(settings.heldOut());
        List<Scene> real = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            Scene other = others.get(i);
            real.add(new Scene(other.shape(), other.colour(), sized ? held.get(i).size() : other.size(),
                    held.get(i).position(), held.get(i).background(), other.fill(), other.jitterX(), other.jitterY(),
                    other.scale()));
        }
        float[] features = features(BuiltInSubject.render(real, size), settings.heldOut(), size);
        return FeatureSimilarity.meanMatchedCosine(features, heldOut, heldOut.length / settings.heldOut());
    }

    private float[] heldOutFeatures(int size) {
        return features(BuiltInSubject.heldOut(settings.heldOut(), size), settings.heldOut(), size);
    }

    private Map<String, Object> recontextualisation(DiffusionModel tuned, int size) {
        List<String> prompts = new ArrayList<>();
        List<SceneSpec> specs = new ArrayList<>();
        for (Position position : Position.values()) {
            for (Background background : Background.values()) {
                for (int k = 0; k < settings.recontextSeeds(); k++) {
                    prompts.add("a " + settings.token() + " " + Subject.CLASS_NOUN + " " + position.phrase(position.word())
                            + " on a " + background.word() + " background");
                    specs.add(new SceneSpec(Map.of(Attribute.POSITION, position, Attribute.BACKGROUND, background)));
                }
            }
        }
        int[][] classes = classify(sample(tuned, prompts), prompts.size(), size);
        int obeyed = 0;
        int yellow = 0;
        for (int i = 0; i < prompts.size(); i++) {
            int[] c = classes[i];
            if (specs.get(i).accepts(Attribute.POSITION, c[Attribute.POSITION.ordinal()])
                    && specs.get(i).accepts(Attribute.BACKGROUND, c[Attribute.BACKGROUND.ordinal()])) {
                obeyed++;
            }
            if (c[Attribute.COLOUR.ordinal()] == Colour.YELLOW.ordinal()) {
                yellow++;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("images", prompts.size());
        result.put("obeyed", (double) obeyed / prompts.size());
        result.put("subject_colour_kept", (double) yellow / prompts.size());
        return result;
    }

    /** Per-attribute adherence of the class prompts and their mean (0..1). */
    private Map<String, Double> classAdherence(DiffusionModel model, int size) {
        List<String> prompts = new ArrayList<>();
        List<SceneSpec> specs = new ArrayList<>();
        for (int i = 0; i < settings.classPrompts(); i++) {
            Scene test = ProceduralShapes.sample(Split.TEST, i).scene();
            Scene star = new Scene(Subject.SHAPE, test.colour(), test.size(), test.position(), test.background(),
                    Fill.SOLID, 0, 0, 1);
            var caption = CaptionWriter.canonical(star);
            prompts.add(caption.text());
            specs.add(caption.spec());
        }
        int[][] classes = classify(sample(model, prompts), prompts.size(), size);
        AttributeTally tally = new AttributeTally();
        for (int i = 0; i < prompts.size(); i++) {
            tally.add(specs.get(i), classes[i]);
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        double sum = 0;
        for (Attribute attribute : Attribute.values()) {
            rates.put(attribute.key(), tally.rate(attribute));
            sum += tally.rate(attribute);
        }
        rates.put("mean", sum / Attribute.values().length);
        rates.put("all", tally.allRate());
        return rates;
    }

    /** The side of the model's (square) images: the built-in subject and the classifier are square. */
    private static int side(DiffusionModel model) {
        ImageSize size = model.defaults().nativeSize();
        if (size.width() != size.height()) {
            throw new IllegalArgumentException("DreamBooth evaluation needs square images, " + model.identity()
                    + " makes " + size);
        }
        return size.width();
    }

    private float[] sample(DiffusionModel model, List<String> prompts) {
        PromptSampler sampler = new PromptSampler(model, SamplerChoice.parse(settings.sampler()), settings.steps(),
                settings.guidance(), false);
        int stride = sampler.imageSize().rgbValues();
        float[] images = new float[prompts.size() * stride];
        for (int first = 0; first < prompts.size(); first += CHUNK) {
            int n = Math.min(CHUNK, prompts.size() - first);
            float[] batch = sampler.sample(prompts.subList(first, first + n), "", settings.seed(), first);
            System.arraycopy(batch, 0, images, first * stride, batch.length);
            System.err.printf("sampled %d/%d with %s%n", first + n, prompts.size(), model.identity().name());
        }
        return images;
    }

    private float[] features(float[] images, int count, int size) {
        Classification result = classifier.classify(images, count, size);
        return result.features();
    }

    private int[][] classify(float[] images, int count, int size) {
        return classifier.classify(images, count, size).classes();
    }
}
