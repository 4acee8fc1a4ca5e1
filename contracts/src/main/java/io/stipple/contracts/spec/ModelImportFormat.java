package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an import's upload holds. JSON: the snake_case name. */
public enum ModelImportFormat {
    /** A diffusers {@code StableDiffusionPipeline} folder packed as a tar or zip archive. */
    @JsonProperty("diffusers")
    DIFFUSERS,
    /** One {@code .safetensors} checkpoint with the original LDM names (SD 1.x / 2.x). */
    @JsonProperty("single_file")
    SINGLE_FILE,
    /** A LoRA {@code .safetensors} file (kohya or diffusers/PEFT names) bound to a base model. */
    @JsonProperty("lora")
    LORA;
}
