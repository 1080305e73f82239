using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using VolumeMesh.Compute;
using VolumeMesh.IO;
using VolumeMesh.Labels;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Pipeline;

/// <summary>
/// Label map → one watertight part per selected structure: select labels (by id or name), mesh each
/// (<see cref="LabelMapMesher"/>), process each (small shells, smoothing, decimation — vertices shared with another label
/// stay fixed so neighbouring parts still fit), write (one STL per label, or all parts through <see cref="MeshFileWriter"/>).
/// </summary>
/// <remarks>A selected label the map does not hold, or whose mesh ends up empty, is reported with its status and not written.</remarks>
public static class LabelMapPipeline
{
    /// <summary>Reads a label map: NIfTI (<c>.nii</c>, <c>.nii.gz</c>, <c>.hdr</c>) or NRRD (<c>.nrrd</c>, <c>.nhdr</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The label ids (0 = background) with their geometry in LPS.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, or (NIfTI) a value is not a whole-number id.</exception>
    /// <exception cref="NotSupportedException">The extension is neither NIfTI nor NRRD, or the file uses a form the reader does not handle.</exception>
    public static Volume<int> ReadLabelMap(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (NiftiReader.IsNiftiPath(path))
        {
            return NiftiReader.Read(path, cancellationToken).ToLabelMap();
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".nrrd" or ".nhdr")
        {
            return NrrdReader.Read(path, cancellationToken).As<int>();
        }

        throw new NotSupportedException($"{path}: a label map must be NIfTI (.nii, .nii.gz, .hdr/.img) or NRRD (.nrrd, .nhdr).");
    }

    /// <summary>Meshes the selected labels and processes each part, without writing.</summary>
    /// <param name="labels">The label map.</param>
    /// <param name="table">Names and colours; <see cref="LabelTable.Empty"/> when null.</param>
    /// <param name="options">Options; <see cref="LabelMapPipelineOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the stage (<c>mesh &lt;id&gt;</c>, <c>process &lt;id&gt;</c>) and its fraction.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One part per selected label (files empty) and timings.</returns>
    /// <exception cref="ArgumentException">The selection names background, or a name the table does not know.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A processing option is out of range.</exception>
    /// <exception cref="ComputeDeviceException">An explicitly requested device is missing or failed.</exception>
    public static LabelMapResult Mesh(
        Volume<int> labels, LabelTable? table, LabelMapPipelineOptions? options = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        table ??= LabelTable.Empty;
        options ??= LabelMapPipelineOptions.Default;
        // One context for the run: the device and the thread count reach every stage.
        using var context = Execution.ComputeContext.Create(options.Device, options.MaxDegreeOfParallelism, progress, cancellationToken);
        IReadOnlyDictionary<int, LabelBounds> present = LabelMapMesher.Survey(labels, context.MaxDegreeOfParallelism, cancellationToken);
        IReadOnlyList<int> selected = table.Select(options.Labels, present.Keys);
        IMarchingCubesEngine engine = context.Backend.MarchingCubes;
        string? note = context.DeviceNote;
        var mcOptions = new MarchingCubesOptions { MaxDegreeOfParallelism = context.MaxDegreeOfParallelism };
        var meshClock = new Stopwatch();
        var processClock = new Stopwatch();
        var parts = new List<LabelPartResult>(selected.Count);
        foreach (int id in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LabelInfo info = table[id];
            if (!present.TryGetValue(id, out LabelBounds bounds))
            {
                parts.Add(new LabelPartResult { Id = id, Name = info.Name, Color = info.Color, Status = LabelPartStatus.Absent });
                continue;
            }

            progress?.Report(new PipelineProgress($"mesh {id}", 0));
            meshClock.Start();
            LabelMesh meshed = LabelMapMesher.MeshLabel(labels, bounds, engine, mcOptions, cancellationToken);
            meshClock.Stop();
            processClock.Start();
            (Mesh mesh, bool[] shared) = Process(meshed.Mesh, meshed.SharedVertices, options, cancellationToken);
            processClock.Stop();
            MeshReport report = MeshReport.Compute(mesh);
            int sharedCount = 0;
            foreach (bool s in shared)
            {
                sharedCount += s ? 1 : 0;
            }

            parts.Add(new LabelPartResult
            {
                Id = id,
                Name = info.Name,
                Color = info.Color,
                Status = mesh.TriangleCount == 0 ? LabelPartStatus.Empty : LabelPartStatus.Written,
                VoxelCount = bounds.VoxelCount,
                Mesh = mesh,
                Report = report,
                SharedVertices = sharedCount,
            });
            progress?.Report(new PipelineProgress($"mesh {id}", 1));
        }

        return new LabelMapResult
        {
            Parts = parts,
            Files = [],
            Device = engine.Device.Id,
            DeviceNote = note,
            MeshTime = meshClock.Elapsed,
            ProcessTime = processClock.Elapsed,
        };
    }

    /// <summary>Meshes, processes and writes the selected labels, and the JSON report when asked.</summary>
    /// <param name="labels">The label map.</param>
    /// <param name="table">Names and colours; <see cref="LabelTable.Empty"/> when null.</param>
    /// <param name="outputPath">With <see cref="LabelMapPipelineOptions.Split"/>: the folder (created when missing); otherwise the
    /// model file, its format chosen by <see cref="MeshFileWriter"/> from the extension.</param>
    /// <param name="options">Options; <see cref="LabelMapPipelineOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the stage and its fraction.</param>
    /// <param name="cancellationToken">Cancels the run; files are written atomically.</param>
    /// <returns>The parts, the files written and timings.</returns>
    /// <exception cref="ArgumentException">The selection is invalid, or the output extension names no format.</exception>
    /// <exception cref="ComputeDeviceException">An explicitly requested device is missing or failed.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static LabelMapResult Run(
        Volume<int> labels, LabelTable? table, string outputPath, LabelMapPipelineOptions? options = null, IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= LabelMapPipelineOptions.Default;
        if (!options.Split && !MeshFileWriter.IsSupported(outputPath))
        {
            throw new ArgumentException(
                $"'{outputPath}': the format is chosen by the extension; supported: {string.Join(' ', MeshFileWriter.Extensions)} (or write one STL per label into a folder with Split).",
                nameof(outputPath));
        }

        LabelMapResult result = Mesh(labels, table, options, progress, cancellationToken);
        var clock = Stopwatch.StartNew();
        var stl = new StlWriteOptions { Format = options.StlFormat, Space = options.Space };
        var parts = new List<LabelPartResult>(result.Parts.Count);
        var files = new List<string>();
        if (options.Split)
        {
            Directory.CreateDirectory(outputPath);
            foreach (LabelPartResult part in result.Parts)
            {
                if (part.Status != LabelPartStatus.Written)
                {
                    parts.Add(part);
                    continue;
                }

                string file = Path.Combine(outputPath, SplitFileName(part.Id, part.Name));
                StlWriter.Write(part.Mesh!, file, stl, cancellationToken);
                files.Add(file);
                parts.Add(part with { Files = [file] });
            }
        }
        else
        {
            var meshParts = new List<MeshPart>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var owners = new List<int>();
            for (int p = 0; p < result.Parts.Count; p++)
            {
                LabelPartResult part = result.Parts[p];
                if (part.Status == LabelPartStatus.Written)
                {
                    // Tables may repeat a name; part names must differ.
                    string name = names.Add(part.Name) ? part.Name : $"{part.Name}_{part.Id}";
                    names.Add(name);
                    meshParts.Add(new MeshPart(name, part.Mesh!, part.Color));
                    owners.Add(p);
                }
            }

            IReadOnlyList<string> written = meshParts.Count == 0 ? [] : MeshFileWriter.Write(meshParts, outputPath, stl, cancellationToken);
            files.AddRange(written);
            parts.AddRange(result.Parts);
            for (int n = 0; n < owners.Count; n++)
            {
                // One file per part (STL), or one file holding every part.
                IReadOnlyList<string> own = written.Count == meshParts.Count ? [written[n]] : written;
                parts[owners[n]] = parts[owners[n]] with { Files = own };
            }
        }

        result = result with { Parts = parts, Files = files, WriteTime = clock.Elapsed };
        if (options.ReportPath is not null)
        {
            WriteReport(result, options.ReportPath);
        }

        return result;
    }

    /// <summary>The file name of a label's part with <see cref="LabelMapPipelineOptions.Split"/>: <c>&lt;id&gt;_&lt;name&gt;.stl</c>, the name made file-safe.</summary>
    /// <param name="id">The label id.</param>
    /// <param name="name">The label name.</param>
    /// <returns>The file name.</returns>
    public static string SplitFileName(int id, string name) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{id}_{MeshFileWriter.SafeFileName(name)}.stl");

    /// <summary>Writes the per-label report as JSON (id, name, colour, status, voxels, shared vertices, files, mesh report).</summary>
    /// <param name="result">The result.</param>
    /// <param name="path">The JSON file (written atomically).</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteReport(LabelMapResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream => WriteReport(result, stream));
    }

    /// <summary>Writes the per-label report as JSON to a stream (see <see cref="WriteReport(LabelMapResult, string)"/>).</summary>
    /// <param name="result">The result.</param>
    /// <param name="stream">The stream (left open).</param>
    public static void WriteReport(LabelMapResult result, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stream);
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("device", result.Device);
            json.WriteStartArray("labels");
            foreach (LabelPartResult part in result.Parts)
            {
                json.WriteStartObject();
                json.WriteNumber("id", part.Id);
                json.WriteString("name", part.Name);
                json.WriteString("color", part.Color.ToHex());
                json.WriteString("status", part.Status.ToString().ToLowerInvariant());
                json.WriteNumber("voxels", part.VoxelCount);
                json.WriteNumber("sharedVertices", part.SharedVertices);
                json.WriteStartArray("files");
                foreach (string file in part.Files)
                {
                    json.WriteStringValue(file);
                }

                json.WriteEndArray();
                if (part.Report is not null)
                {
                    json.WritePropertyName("report");
                    json.WriteRawValue(MeshReportJson.Serialize(part.Report, indented: false));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary>Small shells removed → smoothing → decimation, the shared vertices fixed throughout.</summary>
    private static (Mesh Mesh, bool[] Shared) Process(Mesh mesh, bool[] shared, LabelMapPipelineOptions options, CancellationToken cancellationToken)
    {
        if (options.MinShellVolumeMm3 is double minVolume)
        {
            Mesh cleaned = MeshCleanup.Clean(mesh, new MeshCleanupOptions { MinShellVolumeMm3 = minVolume }).Mesh;
            shared = RemapByPosition(mesh, shared, cleaned);
            mesh = cleaned;
        }

        if (options.SmoothIterations > 0)
        {
            mesh = MeshSmoother.WindowedSinc(
                mesh, new WindowedSincOptions { Iterations = options.SmoothIterations, LockedVertices = shared, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, null, cancellationToken);
        }

        if ((options.DecimateRatio is not null || options.MaxErrorMm is not null) && mesh.TriangleCount > 0)
        {
            // The ratio applies to the triangles that can go: those with a free corner. Asking the locked face's triangles
            // of the free part too would force ever costlier collapses and eat the part's free surface.
            int lockedTriangles = 0;
            int[] indices = mesh.Indices;
            for (int t = 0; t < indices.Length; t += 3)
            {
                lockedTriangles += shared[indices[t]] && shared[indices[t + 1]] && shared[indices[t + 2]] ? 1 : 0;
            }

            double ratio = options.DecimateRatio ?? 0.999;
            var decimationOptions = new DecimationOptions
            {
                TargetTriangleCount = lockedTriangles + (int)Math.Ceiling((mesh.TriangleCount - lockedTriangles) * (1 - ratio)),
                MaxErrorMm = options.MaxErrorMm,
                LockedVertices = shared,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            };
            Mesh decimated = MeshDecimator.Decimate(mesh, decimationOptions, null, cancellationToken).Mesh;
            shared = RemapByPosition(mesh, shared, decimated);
            mesh = decimated;
        }

        return (mesh, shared);
    }

    /// <summary>The shared flags of a mesh derived from another (same positions for the vertices kept), matched by position.</summary>
    private static bool[] RemapByPosition(Mesh before, bool[] shared, Mesh after)
    {
        var positions = new HashSet<Vector3>();
        for (int v = 0; v < shared.Length; v++)
        {
            if (shared[v])
            {
                positions.Add(before.Vertices[v]);
            }
        }

        var result = new bool[after.VertexCount];
        for (int v = 0; v < result.Length; v++)
        {
            result[v] = positions.Contains(after.Vertices[v]);
        }

        return result;
    }
}
