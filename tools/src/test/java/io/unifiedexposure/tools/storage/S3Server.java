package io.unifiedexposure.tools.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server in the test's process (s3proxy over its in-memory blob store, transient-nio2), signed requests
 * required, with a client to set up buckets and look at what a job wrote.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "exposure-access";
  static final String SECRET_KEY = "exposure-secret-not-to-be-logged";
  static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final BlobStoreContext blobs;
  final S3Client client;

  S3Server() throws Exception {
    blobs = ContextBuilder.newBuilder("transient-nio2").credentials("identity", "credential").build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(blobs.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // Beam's S3 file system sends x-amz-server-side-encryption-bucket-key-enabled, which S3
        // accepts and s3proxy would refuse as unknown.
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!"STARTED".equals(proxy.getState()) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    client = S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** The flags that point a launcher at this server, credentials given as {@code --awsCredentialsProvider}. */
  List<String> flags(String accessKey, String secretKey) {
    return List.of(
        "--endpoint=" + endpoint(),
        "--awsRegion=" + REGION,
        "--s3PathStyleAccess=true",
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"" + accessKey
            + "\",\"secretAccessKey\":\"" + secretKey + "\"}");
  }

  List<String> flags() {
    return flags(ACCESS_KEY, SECRET_KEY);
  }

  void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  /** Every file below a local directory, uploaded under {@code prefix} with its relative path. */
  void upload(Path dir, String bucket, String prefix) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        String key = prefix + "/" + dir.relativize(f).toString().replace('\\', '/');
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(f));
      }
    }
  }

  List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key).forEach(keys::add);
    return keys;
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    blobs.close();
  }
}
