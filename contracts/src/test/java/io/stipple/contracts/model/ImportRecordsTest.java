package io.stipple.contracts.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportRecordsTest {

    @Test
    void aRecordReadsBackAsWrittenFromItsVersionFolder(@TempDir Path folder) throws Exception {
        ImportedModel lora = new ImportedModel("lora", "stable_diffusion", "sd2", 0, null, null, "base@3", "ab12", 4096,
                96, 8);
        Files.writeString(folder.resolve(ImportedModel.RECORD_FILE), ImportRecords.toJson(lora));

        ImportedModel read = ImportRecords.read(folder).orElseThrow();

        assertEquals(lora, read);
        assertTrue(read.lora());
        assertFalse(read.singleFile());
        assertEquals("sd2", read.tokenizerFamily());
    }

    @Test
    void aFolderWithoutARecordHasNone(@TempDir Path folder) throws Exception {
        assertTrue(ImportRecords.read(folder).isEmpty());
    }

    @Test
    void missingNumbersReadAsNotStatedAndUnknownFieldsAreIgnored() throws Exception {
        ImportedModel read = ImportRecords.fromJson(
                "{\"format\": \"single_file\", \"variant\": \"sd1-inpainting\", \"recorded_later\": true}");

        assertEquals(0, read.nativeResolution());
        assertEquals(0, read.sizeBytes());
        assertTrue(read.singleFile());
        assertEquals("sd1", read.tokenizerFamily());
    }
}
