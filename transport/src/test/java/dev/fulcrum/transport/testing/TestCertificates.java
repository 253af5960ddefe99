package dev.fulcrum.transport.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority made with the JDK's {@code keytool} in a temporary directory, issuing EC server
 * certificates with DNS subject alternative names, written as PEM files (certificate chain and PKCS#8 key).
 *
 * <p>Used from one test thread. Nothing here ships: the CA lives only as long as the directory.
 */
public final class TestCertificates {
    private static final String PASS = "changeit";
    private final Path dir;
    private final Path caStore;
    private final Path caPem;
    private int serial;

    private TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Fulcrum Test CA", "-ext", "bc:c", "-validity", "2",
                "-keystore", caStore.toString(), "-storepass", PASS, "-storetype", "PKCS12");
        this.caPem = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASS,
                "-file", caPem.toString());
    }

    /** A new CA in a new temporary directory. */
    public static TestCertificates create() throws Exception {
        return new TestCertificates(Files.createTempDirectory("fulcrum-tls"));
    }

    public Path dir() {
        return dir;
    }

    public Path caPem() {
        return caPem;
    }

    /** The PEM pair of a server certificate. */
    public record Issued(Path certFile, Path keyFile, String commonName) {
    }

    /**
     * Issues a server certificate for {@code names} (the first is also the CN) into {@code <stem>.crt.pem} and
     * {@code <stem>.key.pem}, overwriting them if they exist.
     */
    public Issued issue(String stem, String... names) throws Exception {
        final String alias = "leaf" + (++serial);
        final Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + names[0], "-validity", "2", "-keystore", store.toString(), "-storepass", PASS,
                "-storetype", "PKCS12");
        final Path csr = dir.resolve(alias + ".csr");
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", PASS,
                "-file", csr.toString());
        final StringBuilder san = new StringBuilder("san=");
        for (int i = 0; i < names.length; i++) {
            san.append(i == 0 ? "" : ",").append(names[i].startsWith("ip:") ? "" : "dns:").append(names[i]);
        }
        final Path crt = dir.resolve(alias + ".crt");
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASS,
                "-infile", csr.toString(), "-outfile", crt.toString(), "-ext", san.toString(),
                "-ext", "eku=serverAuth", "-validity", "2");
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASS.toCharArray());
        }
        final PrivateKey key = (PrivateKey) ks.getKey(alias, PASS.toCharArray());
        final Path certFile = dir.resolve(stem + ".crt.pem");
        final Path keyFile = dir.resolve(stem + ".key.pem");
        final Path tmpCert = dir.resolve(stem + ".crt.pem.tmp");
        final Path tmpKey = dir.resolve(stem + ".key.pem.tmp");
        Files.writeString(tmpCert, Files.readString(crt) + Files.readString(caPem));
        Files.writeString(tmpKey, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.move(tmpKey, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpCert, certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Issued(certFile, keyFile, names[0]);
    }

    /** A client SSLContext that trusts only this CA. */
    public SSLContext clientContext() throws Exception {
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Deletes the directory. */
    public void delete() throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The subject CN of a certificate, for assertions. */
    public static String commonName(X509Certificate certificate) {
        final String dn = certificate.getSubjectX500Principal().getName();
        for (String part : dn.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return dn;
    }

    private static void keytool(String... args) throws Exception {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-noprompt");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }
}
