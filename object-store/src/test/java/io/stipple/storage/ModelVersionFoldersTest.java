package io.stipple.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.stack.StackEndpoints;
import io.stipple.stack.test.StippleStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Against the real s3proxy of the test stack: the order in which a model version's folder is looked for. */
@ExtendWith(StippleStackExtension.class)
class ModelVersionFoldersTest {

    @TempDir
    Path downloads;
    @TempDir
    Path bundled;
    private ObjectStore store;
    private ModelVersionFolders folders;
    private String model;

    @BeforeEach
    void connect(StackEndpoints stack) {
        store = new ObjectStore(new StorageSettings(stack.s3Endpoint(), stack.s3AccessKey(), stack.s3SecretKey(), stack.bucket(),
                stack.region()));
        store.ensureBucket();
        folders = new ModelVersionFolders(store, downloads, bundled);
        model = "m-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theStoreWinsOverTheBundledFolderAndAFinishedDownloadIsUsedWithoutTheStore() throws Exception {
        putFile("1", "saved_model/saved_model.pb", "from the store");
        bundle("1", "saved_model/saved_model.pb", "bundled");

        Path folder = folders.locate(model, "1").orElseThrow();
        assertEquals(downloads.resolve(model).resolve("1"), folder);
        assertEquals("from the store", read(folder.resolve("saved_model/saved_model.pb")));

        // Versions are immutable: the finished copy answers even once the store no longer has it.
        store.delete(ObjectKeys.model(model, "1", "saved_model/saved_model.pb"));
        assertEquals(Optional.of(folder), folders.locate(model, "1"));
    }

    @Test
    void aHalfDownloadIsRedone() throws Exception {
        putFile("2", "card.json", "{}");
        Path half = downloads.resolve(model).resolve("2");
        Files.createDirectories(half);
        Files.writeString(half.resolve("card.json"), "{"); // cut off, no marker

        assertEquals(Optional.of(half), folders.locate(model, "2"));
        assertEquals("{}", read(half.resolve("card.json")));
    }

    @Test
    void theBundledFolderServesWhatTheStoreLacksAndNeitherIsEmpty() throws Exception {
        bundle("3", "card.json", "{}");

        assertEquals(Optional.of(bundled.resolve(model).resolve("3")), folders.locate(model, "3"));
        assertFalse(Files.exists(downloads.resolve(model).resolve("3")));
        assertTrue(folders.locate(model, "4").isEmpty());
        assertTrue(folders.describe(model, "4").contains("models/" + model + "/4/"), folders.describe(model, "4"));
    }

    private void putFile(String version, String file, String content) {
        store.put(ObjectKeys.model(model, version, file), content.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
    }

    private void bundle(String version, String file, String content) throws Exception {
        Path path = bundled.resolve(model).resolve(version).resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file);
    }
}
