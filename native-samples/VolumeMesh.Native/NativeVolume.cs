using System.Runtime.InteropServices;

namespace VolumeMesh.Native;

/// <summary>
/// A volume the native caller holds in memory (C: <c>vm_volume</c> in native-samples/c/volumemesh.h). Voxels are
/// contiguous, x fastest, then y, then z; positions are patient LPS millimetres.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeVolume
{
    /// <summary>The voxels: <c>SizeX·SizeY·SizeZ</c> values of <see cref="VoxelType"/>.</summary>
    public void* Voxels;

    /// <summary>0: signed 16-bit integers (HU); 1: 32-bit floats.</summary>
    public int VoxelType;

    /// <summary>Voxels along i (a row).</summary>
    public int SizeX;

    /// <summary>Voxels along j (a column).</summary>
    public int SizeY;

    /// <summary>Voxels along k (slices).</summary>
    public int SizeZ;

    /// <summary>Spacing along i, j and k in mm.</summary>
    public fixed double SpacingMm[3];

    /// <summary>The patient position of voxel (0, 0, 0) in mm.</summary>
    public fixed double OriginLps[3];

    /// <summary>Unit direction cosines of i, then j, then k (nine values; k may be any unit vector not in the i–j plane).</summary>
    public fixed double Direction[9];

    /// <summary>0: inside is value ≥ <see cref="Iso"/>; 1: inside is <see cref="Low"/> ≤ value ≤ <see cref="High"/>.</summary>
    public int Mode;

    /// <summary>The iso value (<see cref="Mode"/> 0).</summary>
    public double Iso;

    /// <summary>The lowest value inside (<see cref="Mode"/> 1).</summary>
    public double Low;

    /// <summary>The highest value inside (<see cref="Mode"/> 1).</summary>
    public double High;
}
