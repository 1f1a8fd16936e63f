package io.tonearm.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unprivileged system account for servers that refuse to run as root (Elasticsearch). Created on first use
 * with {@code useradd -r -M -s /usr/sbin/nologin}; {@link #command} prefixes a command so that it runs as that
 * account through {@code setpriv} (which execs, so the process we hold is the server's launcher itself).
 */
final class ServiceUser {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceUser.class);
    static final String DEFAULT_NAME = "tonearm";

    private final String name;
    private final int uid;
    private final int gid;

    private ServiceUser(String name, int uid, int gid) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
    }

    String name() {
        return name;
    }

    /** The account, created if missing. Must run as root. */
    static synchronized ServiceUser ensure(String name) {
        if (run("id", "-u", name).exit != 0) {
            Path useradd = Unix.tool("useradd");
            if (useradd == null) {
                throw new LocalStackException("running as root and user " + name + " does not exist, and there is no"
                        + " useradd to create it; create it yourself: useradd -r -M -s /usr/sbin/nologin " + name);
            }
            Result created = run(useradd.toString(), "-r", "-M", "-s", "/usr/sbin/nologin", name);
            if (created.exit != 0 && run("id", "-u", name).exit != 0) { // another JVM may have created it meanwhile
                throw new LocalStackException("useradd -r -M -s /usr/sbin/nologin " + name + " failed: " + created.output);
            }
            LOG.info("created system user {} to run servers that refuse root", name);
        }
        return new ServiceUser(name, Integer.parseInt(run("id", "-u", name).output.trim()),
                Integer.parseInt(run("id", "-g", name).output.trim()));
    }

    /** {@code setpriv} arguments that drop to this account and kill the child when its parent thread dies. */
    List<String> command(List<String> command) {
        Path setpriv = Unix.tool("setpriv");
        if (setpriv == null) {
            throw new LocalStackException("running as root needs setpriv (util-linux) to start a server as " + name);
        }
        List<String> full = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + uid, "--regid=" + gid,
                "--init-groups", "--pdeathsig=TERM"));
        full.addAll(command);
        return full;
    }

    /** Gives the whole tree to this account. */
    void own(Path root) {
        try {
            UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(name);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(String.valueOf(gid));
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(user);
                    view.setGroup(group);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + root + " to user " + name, e);
        }
    }

    /**
     * Lets this account reach {@code path}: every ancestor needs the others' execute bit. Adds it where missing
     * (traverse only, no listing) and says so, since it changes a directory we do not own.
     */
    void ensureTraversable(Path path) {
        for (Path dir = path.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(dir, perms);
                    LOG.warn("added o+x to {} so that user {} can reach {}", dir, name, path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make " + dir + " traversable for user " + name, e);
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
