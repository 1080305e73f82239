using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Native;

/// <summary>
/// Entry points for native hosts (C, C++, Rust, …) that start .NET through hostfxr and bind these methods with
/// <c>load_assembly_and_get_function_pointer(…, UNMANAGEDCALLERSONLY_METHOD, …)</c>. Strings are UTF-8, NUL-terminated.
/// No exception crosses the boundary: failures return a non-zero code and a message in the caller's buffer.
/// </summary>
public static class Exports
{
    /// <summary>The version of this native API; bumped when a signature changes.</summary>
    public const int ApiVersion = 1;

    /// <summary>Returns <see cref="ApiVersion"/>.</summary>
    /// <returns>The API version.</returns>
    [UnmanagedCallersOnly]
    public static int Version() => ApiVersion;

    /// <summary>
    /// Meshes a volume (a DICOM folder — its CT series with the most slices — or a NRRD file) inside the HU range
    /// [low, high], keeping the largest component with its cavities filled, and writes a binary STL in LPS millimetres.
    /// </summary>
    /// <param name="input">UTF-8 path of the DICOM folder or NRRD file.</param>
    /// <param name="output">UTF-8 path of the STL to write.</param>
    /// <param name="low">Lowest HU inside.</param>
    /// <param name="high">Highest HU inside.</param>
    /// <param name="triangles">Receives the triangle count (may be null).</param>
    /// <param name="volumeMm3">Receives the mesh volume in mm³ (may be null).</param>
    /// <param name="error">Receives a UTF-8 message on failure (may be null).</param>
    /// <param name="errorCapacity">Size of <paramref name="error"/> in bytes.</param>
    /// <returns>0 on success, 2 for bad input, 1 for other failures.</returns>
    [UnmanagedCallersOnly]
    public static unsafe int MeshFile(byte* input, byte* output, double low, double high, long* triangles, double* volumeMm3, byte* error, int errorCapacity)
    {
        try
        {
            string inputPath = Marshal.PtrToStringUTF8((nint)input) ?? throw new ArgumentException("The input path is null.");
            string outputPath = Marshal.PtrToStringUTF8((nint)output) ?? throw new ArgumentException("The output path is null.");

            // One execution context for the call: the device (auto) and the threads reach every stage, DICOM load included.
            using Execution.ComputeContext context = Execution.ComputeContext.Create("auto");
            PipelineVolume volume = Directory.Exists(inputPath)
                ? PipelineVolume.FromInt16(DicomSeriesLoader.LoadDefaultHu(inputPath, new DicomLoadOptions { MaxDegreeOfParallelism = context.MaxDegreeOfParallelism }).Volume, inputPath)
                : PipelineVolume.FromNrrd(NrrdReader.Read(inputPath));
            var options = new VolumeMeshPipelineOptions
            {
                Range = new HuRange(low, high),
                Keep = Components.ComponentSelection.Largest(1),
                FillHoles = true,
            };
            VolumeMeshResult result = VolumeMeshPipeline.Run(volume, outputPath, options, context);
            if (triangles != null)
            {
                *triangles = result.Report.Triangles;
            }

            if (volumeMm3 != null)
            {
                *volumeMm3 = result.Report.VolumeMm3;
            }

            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or DicomFormatException or NotSupportedException or FileNotFoundException or DirectoryNotFoundException)
        {
            WriteError(e, error, errorCapacity);
            return 2;
        }
        catch (Exception e)
        {
            WriteError(e, error, errorCapacity);
            return 1;
        }
    }

    private static unsafe void WriteError(Exception e, byte* error, int capacity)
    {
        if (error == null || capacity <= 0)
        {
            return;
        }

        var destination = new Span<byte>(error, capacity);
        int written = Encoding.UTF8.GetBytes(e.Message.AsSpan(0, Math.Min(e.Message.Length, (capacity - 1) / 3)), destination[..(capacity - 1)]);
        destination[written] = 0;
    }
}
