package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.onnx.DefaultModel;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.ModelInfo;
import io.ivfuse.model.SageImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ivfuse models}: import the SAGE checkpoint, list models, describe one. */
@Command(name = "models", description = "Manage fusion models (ONNX, ivfuse model convention).",
        mixinStandardHelpOptions = true,
        subcommands = {ModelsCommand.ImportSage.class, ModelsCommand.ListModels.class, ModelsCommand.Info.class})
public final class ModelsCommand implements Callable<Integer> {
    /** Folder of models embedded in the ivfuse jar. */
    public static final String EMBEDDED_FOLDER = "models";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The default folder for user models: {@code ~/.ivfuse/models}. */
    public static Path defaultUserFolder() {
        return Path.of(System.getProperty("user.home"), ".ivfuse", "models");
    }

    @Command(name = "import-sage", mixinStandardHelpOptions = true,
            description = "Convert the SAGE authors' student checkpoint (PyTorch .pt) into an ivfuse ONNX model.")
    public static final class ImportSage implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "the authors' checkpoints.pt")
        Path checkpoint;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "ONNX file to write")
        Path output;

        @Option(names = "--features", description = "also output the features x1..x5 (for feature distillation)")
        boolean features;

        @Override
        public Integer call() {
            SageImporter.Result r = SageImporter.importCheckpoint(checkpoint, output, features);
            ModelInfo info = ModelInfo.read(output);
            spec.commandLine().getOut().printf("wrote %s: SAGE student, dim %d, %d checkpoint tensors, %,d parameters "
                            + "after BatchNorm folding, %,.0f MAC/pixel%n", r.model(), r.dim(), r.checkpointTensors(),
                    r.foldedParameters(), info.macsPerPixel());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the models embedded in ivfuse and those in the user folder.")
    public static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "user model folder (default: ~/.ivfuse/models)")
        Path dir;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<ModelInfo> embedded = embeddedModels();
            Path folder = dir != null ? dir : defaultUserFolder();
            List<ModelInfo> user = new ArrayList<>();
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) {
                        user.add(ModelInfo.read(f));
                    }
                }
            } else if (dir != null) {
                throw new IvfuseException("model folder " + dir + " does not exist");
            }
            out.printf("%-10s %-40s %-8s %-10s %12s %10s  %s%n", "SOURCE", "MODEL", "MULTIPLE", "INPUTS",
                    "PARAMETERS", "MAC/PIXEL", "DESCRIPTION");
            print(out, "embedded", embedded);
            print(out, "user", user);
            if (embedded.isEmpty() && user.isEmpty()) {
                out.println("(no models: none embedded, none in " + folder + ")");
            }
            return 0;
        }

        private static void print(PrintWriter out, String source, List<ModelInfo> models) {
            for (ModelInfo m : models) {
                ModelConvention c = m.conventionOrNull();
                out.printf("%-10s %-40s %-8s %-10s %,12d %,10.0f  %s%n", source, m.name(),
                        c == null ? "-" : Integer.toString(c.sizeMultiple()),
                        c == null ? "(no ivfuse metadata)" : c.visibleInput() + "," + c.infraredInput(),
                        m.parameters(), m.macsPerPixel(), m.metadata().getOrDefault(ModelConvention.DESCRIPTION, "")
                                + (m.name().equals(DefaultModel.RESOURCE) ? " [default of the onnxruntime engine]" : ""));
            }
        }
    }

    /** Models shipped as resources under {@code models/*.onnx}. */
    static List<ModelInfo> embeddedModels() throws IOException {
        URL url = ModelsCommand.class.getClassLoader().getResource(EMBEDDED_FOLDER);
        List<ModelInfo> models = new ArrayList<>();
        if (url == null) {
            return models;
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    collect(fs.getPath(EMBEDDED_FOLDER), models);
                }
            } else {
                collect(Path.of(uri), models);
            }
        } catch (URISyntaxException e) {
            throw new IOException("bad resource URL " + url, e);
        }
        return models;
    }

    private static void collect(Path folder, List<ModelInfo> models) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    models.add(ModelInfo.read(in, EMBEDDED_FOLDER + "/" + f.getFileName()));
                }
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Describe an ONNX model: inputs, outputs, size multiple, parameters, MACs per pixel.")
    public static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "an ONNX model")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new IvfuseException("model " + file + " does not exist");
            }
            ModelInfo m = ModelInfo.read(file);
            PrintWriter out = spec.commandLine().getOut();
            out.println("model:        " + m.name());
            m.inputs().forEach((k, v) -> out.println("input:        " + k + " " + v));
            m.outputs().forEach((k, v) -> out.println("output:       " + k + " " + v));
            ModelConvention c = m.conventionOrNull();
            if (c == null) {
                out.println("convention:   none (metadata key '" + ModelConvention.INPUTS
                        + "' missing: the onnxruntime engine cannot run this model)");
            } else {
                out.println("visible, IR:  " + c.visibleInput() + ", " + c.infraredInput());
                out.println("size multiple: " + c.sizeMultiple());
            }
            out.printf("parameters:   %,d%n", m.parameters());
            out.printf("MAC/pixel:    %,.0f (%.1f GMAC at 640x480)%n", m.macsPerPixel(), m.macsPerPixel() * 640 * 480 / 1e9);
            m.metadata().forEach((k, v) -> out.println("metadata:     " + k + " = " + v));
            return 0;
        }
    }
}
