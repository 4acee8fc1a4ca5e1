package io.stipple.stack;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.stipple.stack.process.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * An S3-compatible server: s3proxy on the filesystem (signatures checked like real S3), or any
 * external endpoint such as MinIO.
 */
final class S3Part extends StackPart {

    private final StackSettings.S3 s3;
    private final Path dir;
    private MinioClient client;

    S3Part(StackSettings settings) {
        super(settings, "s3proxy", settings.home().resolve("s3").toString());
        this.s3 = settings.s3();
        this.dir = settings.home().resolve("s3");
    }

    @Override
    protected boolean external() {
        return s3.externalEndpoint().isPresent();
    }

    @Override
    public String address() {
        return s3.externalEndpoint().orElse("http://127.0.0.1:" + s3.port());
    }

    @Override
    protected List<Integer> ports() {
        return List.of(s3.port());
    }

    @Override
    protected void prepare() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("s3proxy.properties"), """
                s3proxy.endpoint=http://127.0.0.1:%d
                s3proxy.authorization=aws-v2-or-v4
                s3proxy.identity=%s
                s3proxy.credential=%s
                jclouds.provider=filesystem
                jclouds.filesystem.basedir=%s
                """.formatted(s3.port(), s3.accessKey(), s3.secretKey(), dir.resolve("data").toString().replace("\\", "/")));
    }

    @Override
    protected List<String> command() {
        return List.of(ServerProcess.javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", InfraClasspath.s3proxy(), "org.gaul.s3proxy.Main",
                "--properties", dir.resolve("s3proxy.properties").toString());
    }

    @Override
    protected boolean probe() throws Exception {
        // A signed request: proves the server is up and that it accepts these credentials.
        client().bucketExists(BucketExistsArgs.builder().bucket(s3.bucket()).build());
        return true;
    }

    @Override
    protected void provision() throws Exception {
        MinioClient client = client();
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(s3.bucket()).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(s3.bucket()).region(s3.region()).build());
        }
    }

    private MinioClient client() {
        if (client == null) {
            // Our own OkHttpClient: MinIO's default one parses every certificate under $SSL_CERT_DIR
            // or /etc/ssl/certs on each build, which took 14 s on a loaded machine.
            client = MinioClient.builder().endpoint(address()).credentials(s3.accessKey(), s3.secretKey()).region(s3.region())
                    .httpClient(new OkHttpClient(), true).build();
        }
        return client;
    }
}
