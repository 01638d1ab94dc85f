package io.edgedeck.simulator.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real 1 MiB filesystem (tmpfs) for a test to fill, made without needing root where the kernel
 * allows user namespaces: a holder process in a new user and mount namespace
 * ({@code unshare --user --map-root-user --mount}) mounts the tmpfs over a directory and keeps the
 * namespace alive; node processes are started inside it ({@code nsenter}), and the test reads and
 * writes the same files through the holder's view ({@code /proc/PID/root}). As root without user
 * namespaces, a plain {@code mount} does the same. The filesystem is gone when the holder ends.
 *
 * @param inside the directory as a node inside the namespace sees it
 * @param view   the same directory as this test process sees it
 * @param enter  the command prefix that runs a process inside the namespace (empty for a plain mount)
 */
record SmallDisk(Path inside, Path view, List<String> enter, Process holder) implements AutoCloseable {

    /** Why no small disk could be made, with what each way said. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    static SmallDisk make(Path dir) throws Exception {
        Path m = Files.createDirectory(dir.resolve("disk"));
        Process holder = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                "mount -t tmpfs -o size=1m tmpfs \"$0\" && echo mounted && exec sleep 86400", m.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if ("mounted".equals(first)) {
            Path view = Path.of("/proc", Long.toString(holder.pid()), "root").resolve(m.toString().substring(1));
            return new SmallDisk(m, view, List.of("nsenter", "-t", Long.toString(holder.pid()), "-U", "-m",
                    "--preserve-credentials"), holder);
        }
        holder.destroyForcibly();
        String unshareSaid = first == null ? "nothing" : first;
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", m.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0;
        String mountSaid = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (mounted) {
            return new SmallDisk(m, m, List.of(), null);
        }
        throw new Unavailable("no small filesystem can be made here: a user namespace mount (unshare --user --map-root-user"
                + " --mount, then mount -t tmpfs) said \"" + unshareSaid + "\" (user namespaces disabled, or restricted as"
                + " by kernel.apparmor_restrict_unprivileged_userns=1), and a plain mount said \"" + mountSaid
                + "\" (not root)");
    }

    /** Fills what is left of the filesystem; returns the filler to delete to free it. */
    static Path fill(Path disk) throws IOException {
        Path filler = disk.resolve("filler");
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // the disk is full: that is the point
        }
        return filler;
    }

    @Override
    public void close() throws Exception {
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor(20, TimeUnit.SECONDS);
        } else {
            new ProcessBuilder("umount", "-l", inside.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
