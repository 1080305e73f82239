using System.Runtime.InteropServices;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Native;

/// <summary>
/// Entry points for native hosts (C, C++, Rust, …) that start .NET through hostfxr and bind these methods with
/// <c>load_assembly_and_get_function_pointer(…, UNMANAGEDCALLERSONLY_METHOD, …)</c>; native-samples/c/volumemesh.h
/// declares them for C. Strings are UTF-8 and NUL-terminated. No exception crosses the boundary: every export returns a
/// code (<see cref="NativeErrors"/>: the CLI's exit-code numbers) and, on failure, a message. Strings and meshes the
/// library returns are released with <see cref="FreeString"/> and <see cref="FreeMesh"/>.
/// </summary>
public static class Exports
{
    /// <summary>The version of this native API; bumped when a signature changes.</summary>
    public const int ApiVersion = 2;

    /// <summary>Returns <see cref="ApiVersion"/>.</summary>
    /// <returns>The API version.</returns>
    [UnmanagedCallersOnly]
    public static int Version() => ApiVersion;

    /// <summary>
    /// Meshes a DICOM folder (its CT series with the most slices) or a NRRD file with the options of a JSON object
    /// (<see cref="NativeOptions"/>) and writes the mesh, its format from the output's extension (<c>.stl .3mf .glb
    /// .gltf .ply .obj</c>), in patient LPS millimetres.
    /// </summary>
    /// <param name="input">UTF-8 path of the DICOM folder or NRRD file.</param>
    /// <param name="output">UTF-8 path of the mesh to write.</param>
    /// <param name="optionsJson">UTF-8 JSON object of options, or null for the defaults (the bone preset).</param>
    /// <param name="reportJson">Receives the report JSON (what <c>volumemesh mesh --json</c> prints) on success; may be null.</param>
    /// <param name="error">Receives the message on failure; may be null.</param>
    /// <returns>A <see cref="NativeErrors"/> code.</returns>
    [UnmanagedCallersOnly]
    public static unsafe int MeshFile(byte* input, byte* output, byte* optionsJson, byte** reportJson, byte** error)
    {
        Clear(reportJson, error);
        try
        {
            string inputPath = Required(input, nameof(input));
            string outputPath = Required(output, nameof(output));
            VolumeMeshPipelineOptions options = NativeOptions.Parse(Marshal.PtrToStringUTF8((nint)optionsJson));
            if (!IO.MeshFileWriter.IsSupported(outputPath))
            {
                throw new ArgumentException($"'{outputPath}': the format is chosen by the extension; supported: {string.Join(' ', IO.MeshFileWriter.Extensions)}.", nameof(output));
            }

            // One execution context for the call: its device and thread count reach every stage, DICOM load included.
            using Execution.ComputeContext context = Execution.ComputeContext.Create(options.Device, options.MaxDegreeOfParallelism);
            PipelineVolume volume = NativeInput.Load(inputPath, context.MaxDegreeOfParallelism);
            VolumeMeshResult result = VolumeMeshPipeline.Mesh(volume, options, context);
            RequireTriangles(result, inputPath);
            VolumeMeshPipeline.WriteMesh(result.Mesh, outputPath, options);
            if (reportJson != null)
            {
                *reportJson = NativeErrors.ToNative(PipelineReportJson.Serialize(result));
            }

            return NativeErrors.Ok;
        }
        catch (Exception e)
        {
            return Fail(e, error);
        }
    }

    /// <summary>
    /// Meshes a volume the caller holds in memory and returns vertex and index buffers that the caller releases with
    /// <see cref="FreeMesh"/>. The voxels are copied once into managed memory; the caller keeps ownership of its buffer.
    /// </summary>
    /// <param name="volume">The voxels, their geometry and the iso value or range.</param>
    /// <param name="optionsJson">UTF-8 JSON object of further options (keep, fillHoles, smooth, decimate, device, …; not the
    /// range), or null.</param>
    /// <param name="mesh">Receives the buffers on success; zeroed on failure.</param>
    /// <param name="reportJson">Receives the report JSON on success; may be null.</param>
    /// <param name="error">Receives the message on failure; may be null.</param>
    /// <returns>A <see cref="NativeErrors"/> code.</returns>
    [UnmanagedCallersOnly]
    public static unsafe int MeshVolume(NativeVolume* volume, byte* optionsJson, NativeMesh* mesh, byte** reportJson, byte** error)
    {
        Clear(reportJson, error);
        if (mesh != null)
        {
            *mesh = default;
        }

        try
        {
            if (volume == null || mesh == null)
            {
                throw new ArgumentException("The volume and the mesh must not be null.", volume == null ? nameof(volume) : nameof(mesh));
            }

            VolumeMeshPipelineOptions options = NativeOptions.Parse(Marshal.PtrToStringUTF8((nint)optionsJson), inMemoryRange: true);
            options = volume->Mode switch
            {
                0 => options with { Iso = volume->Iso },
                1 => volume->Low <= volume->High ? options with { Range = new HuRange(volume->Low, volume->High) } : throw new ArgumentException($"The range [{volume->Low}, {volume->High}] is empty.", nameof(volume)),
                _ => throw new ArgumentException($"Mode {volume->Mode} is neither 0 (iso) nor 1 (range).", nameof(volume)),
            };

            PipelineVolume input = Copy(volume);
            using Execution.ComputeContext context = Execution.ComputeContext.Create(options.Device, options.MaxDegreeOfParallelism);
            VolumeMeshResult result = VolumeMeshPipeline.Mesh(input, options, context);
            RequireTriangles(result, "the in-memory volume");
            Mesh m = result.Mesh;
            float* positions = (float*)NativeMemory.Alloc((nuint)m.VertexCount * 3, sizeof(float));
            int* indices = (int*)NativeMemory.Alloc((nuint)m.Indices.Length, sizeof(int));
            MemoryMarshal.Cast<System.Numerics.Vector3, float>(m.Vertices).CopyTo(new Span<float>(positions, m.VertexCount * 3));
            m.Indices.CopyTo(new Span<int>(indices, m.Indices.Length));
            *mesh = new NativeMesh { Positions = positions, Indices = indices, VertexCount = m.VertexCount, TriangleCount = m.TriangleCount };
            if (reportJson != null)
            {
                *reportJson = NativeErrors.ToNative(PipelineReportJson.Serialize(result));
            }

            return NativeErrors.Ok;
        }
        catch (Exception e)
        {
            return Fail(e, error);
        }
    }

    /// <summary>Releases the buffers of a mesh from <see cref="MeshVolume"/> and zeroes it; a null or zeroed mesh is ignored.</summary>
    /// <param name="mesh">The mesh.</param>
    [UnmanagedCallersOnly]
    public static unsafe void FreeMesh(NativeMesh* mesh)
    {
        if (mesh == null)
        {
            return;
        }

        NativeMemory.Free(mesh->Positions);
        NativeMemory.Free(mesh->Indices);
        *mesh = default;
    }

    /// <summary>Releases a string the library returned (a report or a message); null is ignored.</summary>
    /// <param name="text">The string.</param>
    [UnmanagedCallersOnly]
    public static unsafe void FreeString(byte* text) => NativeMemory.Free(text);

    private static unsafe PipelineVolume Copy(NativeVolume* v)
    {
        if (v->Voxels == null)
        {
            throw new ArgumentException("The voxel pointer is null.", "volume");
        }

        if (v->SizeX < 1 || v->SizeY < 1 || v->SizeZ < 1)
        {
            throw new ArgumentException($"The size {v->SizeX}×{v->SizeY}×{v->SizeZ} has a dimension below 1.", "volume");
        }

        long count = (long)v->SizeX * v->SizeY * v->SizeZ;
        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"The size {v->SizeX}×{v->SizeY}×{v->SizeZ} exceeds one managed array; mesh it in z-slabs.", "volume");
        }

        var origin = new Vector3D(v->OriginLps[0], v->OriginLps[1], v->OriginLps[2]);
        var i = new Vector3D(v->Direction[0], v->Direction[1], v->Direction[2]) * v->SpacingMm[0];
        var j = new Vector3D(v->Direction[3], v->Direction[4], v->Direction[5]) * v->SpacingMm[1];
        var k = new Vector3D(v->Direction[6], v->Direction[7], v->Direction[8]) * v->SpacingMm[2];
        for (int axis = 0; axis < 3; axis++)
        {
            if (!(v->SpacingMm[axis] > 0) || !double.IsFinite(v->SpacingMm[axis]))
            {
                throw new ArgumentException($"Spacing {axis} is {v->SpacingMm[axis]} mm; it must be positive and finite.", "volume");
            }
        }

        VolumeGeometry geometry = VolumeGeometry.FromAffine(v->SizeX, v->SizeY, v->SizeZ, origin, i, j, k);
        return v->VoxelType switch
        {
            0 => PipelineVolume.FromInt16(new Volume<short>(geometry, new ReadOnlySpan<short>(v->Voxels, (int)count).ToArray()), "in-memory volume"),
            1 => PipelineVolume.FromFloat(new Volume<float>(geometry, new ReadOnlySpan<float>(v->Voxels, (int)count).ToArray()), "in-memory volume"),
            _ => throw new ArgumentException($"Voxel type {v->VoxelType} is neither 0 (int16) nor 1 (float32).", "volume"),
        };
    }

    private static void RequireTriangles(VolumeMeshResult result, string what)
    {
        if (result.Mesh.TriangleCount == 0)
        {
            throw new NothingToMeshException($"No voxel of {what} is inside ({result.Inside}); the mesh is empty and nothing was written.");
        }
    }

    private static unsafe string Required(byte* text, string name) =>
        Marshal.PtrToStringUTF8((nint)text) is { Length: > 0 } value ? value : throw new ArgumentException($"The {name} path is null or empty.", name);

    private static unsafe void Clear(byte** reportJson, byte** error)
    {
        if (reportJson != null)
        {
            *reportJson = null;
        }

        if (error != null)
        {
            *error = null;
        }
    }

    private static unsafe int Fail(Exception e, byte** error)
    {
        try
        {
            if (error != null)
            {
                *error = NativeErrors.ToNative(NativeErrors.Message(e));
            }

            return NativeErrors.Of(e);
        }
        catch (OutOfMemoryException)
        {
            return NativeErrors.Internal;
        }
    }
}
