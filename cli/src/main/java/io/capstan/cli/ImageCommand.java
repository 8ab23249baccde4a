package io.capstan.cli;

import io.capstan.runtime.image.Image;
import io.capstan.runtime.image.ImageException;
import io.capstan.runtime.image.LocalImageStore;
import io.capstan.runtime.image.PullListener;
import io.capstan.runtime.image.RegistryCredentials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * `capstan image import|ls|rm|pull`: the node's image store, the one its agent runs containers from
 * (DATA/agent/images, as NodeAgentLauncher opens it), shown as crictl and ctr show it.
 */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage the node's images.",
        subcommands = {ImageCommand.Import.class, ImageCommand.Ls.class, ImageCommand.Rm.class, ImageCommand.Pull.class})
final class ImageCommand implements Runnable {

    @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT,
            description = "State directory (default: /var/lib/capstan as root, else ~/.local/share/capstan).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    LocalImageStore store(List<String> insecureRegistries) {
        return new LocalImageStore(new LocalImageStore.Options(DataDir.resolve(dataDir).resolve("agent").resolve("images"), insecureRegistries, List.of()));
    }

    /** What every subcommand shares: the parent's store, and image errors printed as one line with exit code 1. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        ImageCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                run(spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (ImageException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            }
        }

        abstract void run(PrintWriter out);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import the images of an OCI image layout (directory or tar) or a docker save archive.")
    static final class Import extends Sub {
        @Parameters(paramLabel = "FILE", description = "OCI layout directory, OCI layout tar, or docker save archive.")
        Path file;

        @Override
        void run(PrintWriter out) {
            for (Image image : parent.store(List.of()).importArchive(file.toAbsolutePath())) {
                if (image.references().isEmpty()) {
                    out.println("Loaded image ID: " + image.id());
                }
                for (String ref : image.references()) {
                    out.println("Loaded image: " + ref);
                }
            }
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List images (as crictl images does).")
    static final class Ls extends Sub {
        @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
        boolean quiet;

        @Override
        void run(PrintWriter out) {
            List<Image> images = parent.store(List.of()).list();
            if (quiet) {
                images.forEach(i -> out.println(i.id()));
                return;
            }
            out.print(ImageTable.render(images));
        }
    }

    @Command(name = "rm", aliases = "rmi", mixinStandardHelpOptions = true, description = "Remove image references; an image goes with its last one.")
    static final class Rm extends Sub {
        @Parameters(paramLabel = "REF", arity = "1..*", description = "Image name, name@digest or image ID.")
        List<String> refs = new ArrayList<>();

        @Override
        void run(PrintWriter out) {
            LocalImageStore store = parent.store(List.of());
            for (String ref : refs) {
                store.remove(ref);
                out.println("Deleted: " + ref);
            }
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = "Pull an image (linux/amd64) from a registry.")
    static final class Pull extends Sub {
        @Parameters(paramLabel = "REF", description = "Image reference, e.g. busybox:1.36 or registry:5000/app@sha256:...")
        String ref;

        @Option(names = "--insecure-registry", description = "Registry (host or host:port) to reach without verified TLS (repeatable).")
        List<String> insecure = new ArrayList<>();

        @Option(names = "--creds", description = "USER:PASSWORD for the registry.")
        String creds;

        @Override
        void run(PrintWriter out) {
            RegistryCredentials credentials = null;
            if (creds != null) {
                int colon = creds.indexOf(':');
                credentials = colon < 0 ? new RegistryCredentials(creds, "") : new RegistryCredentials(creds.substring(0, colon), creds.substring(colon + 1));
            }
            Image image = parent.store(insecure).pull(ref, credentials, new PullListener() {
                @Override
                public void layer(String digest, long bytes) {
                    out.println("pulled " + digest + " (" + ImageTable.humanSize(bytes) + ")");
                    out.flush();
                }
            });
            out.println("Image is up to date for " + image.id());
        }
    }
}
