using VolumeMesh.IO;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Pipeline;

/// <summary>Options of <see cref="VolumeMeshPipeline"/>. Set at most one of <see cref="Range"/> and <see cref="Iso"/>; with
/// neither the inside is <see cref="ThresholdPresets.Bone"/>.</summary>
public sealed record VolumeMeshPipelineOptions
{
    /// <summary>The default options: bone preset, binary STL in LPS, all cores.</summary>
    public static VolumeMeshPipelineOptions Default { get; } = new();

    /// <summary>The inside as an inclusive value range (e.g. a preset); null for <see cref="Iso"/> or the default.</summary>
    public HuRange? Range { get; init; }

    /// <summary>The inside as values ≥ this iso value; null for <see cref="Range"/> or the default.</summary>
    public double? Iso { get; init; }

    /// <summary>The STL (and PLY) encoding written; binary by default.</summary>
    public StlFormat StlFormat { get; init; } = StlFormat.Binary;

    /// <summary>The coordinate system STL, PLY and OBJ are written in; LPS by default (3MF is always LPS, glTF has its own axes).</summary>
    public CoordinateSpace Space { get; init; } = CoordinateSpace.Lps;

    /// <summary>Whether OBJ output carries per-vertex normals; false by default.</summary>
    public bool ObjNormals { get; init; }

    /// <summary>Threads to use; −1 (the default) uses every core. The mesh is identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Where to write the report (the <see cref="Meshing.MeshReport"/> fields, plus the components found and kept) as JSON; none when null.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Which connected components of the segmentation to keep; null keeps everything without labelling.</summary>
    public Components.ComponentSelection? Keep { get; init; }

    /// <summary>
    /// Connectivity of the component labelling. Six by default: the mesh separates regions that touch only along an edge
    /// or at a corner, so with six-connected components "keep the largest" gives exactly one outer shell.
    /// </summary>
    public Components.Connectivity Connectivity { get; init; } = Components.Connectivity.Six;

    /// <summary>Fill enclosed cavities (marrow spaces) so they do not become inner shells.</summary>
    public bool FillHoles { get; init; }

    /// <summary>Morphological opening with a ball of this radius in mm (removes spurs and thin bridges) before selection; none when null.</summary>
    public double? OpenMm { get; init; }

    /// <summary>Morphological closing with a ball of this radius in mm (closes small gaps and cracks) before selection; none when null.</summary>
    public double? CloseMm { get; init; }

    /// <summary>
    /// The device that runs marching cubes: <c>auto</c> (CUDA, then OpenCL, then the managed CPU; the default), <c>cpu</c>,
    /// <c>cuda</c>, <c>opencl</c> or <c>ilgpu-cpu</c> (see <see cref="Compute.ComputeDevices"/>). Every device gives the same mesh.
    /// </summary>
    public string Device { get; init; } = "auto";

    /// <summary>Drop mesh shells enclosing less than this volume in mm³ (noise specks) after meshing; none when null.</summary>
    public double? MinShellVolumeMm3 { get; init; }

    /// <summary>Windowed-sinc smoothing iterations (non-shrinking, Taubin, Zhang &amp; Golub 1996) after meshing; 0 for none.</summary>
    public int SmoothIterations { get; init; }

    /// <summary>Fraction of the triangles quadric decimation removes (0.9 keeps 10%, as VTK's and 3D Slicer's "reduction"); none when null.</summary>
    public double? DecimateRatio { get; init; }

    /// <summary>Largest geometric error decimation may introduce, in mm; decimation stops at whichever of this and the ratio comes first.</summary>
    public double? MaxErrorMm { get; init; }

    /// <summary>
    /// Hands the input over to the pipeline: once the mesh exists (nothing needs the voxels any more), the pipeline empties the
    /// <see cref="PipelineVolume"/> it was given (<see cref="PipelineVolume.Int16"/> and <see cref="PipelineVolume.Float"/>
    /// become null; the voxels themselves are never modified) and collects the memory, so smoothing, decimation and writing run
    /// without the volume. False by default: a library caller's volume stays as it is. The CLI sets it.
    /// </summary>
    public bool ReleaseVolume { get; init; }

    /// <summary>Whether any stage needs the segmentation as a mask (selection, hole filling or morphology).</summary>
    public bool NeedsMask => Keep is not null || FillHoles || OpenMm is not null || CloseMm is not null;
}
