using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Volumes;

namespace VolumeMesh.Pipeline;

/// <summary>The input of <see cref="VolumeMeshPipeline"/>: a scalar volume of 16-bit integers (CT Hounsfield units) or floats.</summary>
public sealed class PipelineVolume
{
    private PipelineVolume(Volume<short>? int16, Volume<float>? float32, string description)
    {
        Int16 = int16;
        Float = float32;
        Description = description;
        Geometry = int16?.Geometry ?? float32!.Geometry;
    }

    /// <summary>The voxels as 16-bit integers, or null when the volume holds floats (or was released, see
    /// <see cref="VolumeMeshPipelineOptions.ReleaseVolume"/>).</summary>
    public Volume<short>? Int16 { get; private set; }

    /// <summary>The voxels as floats, or null when the volume holds 16-bit integers (or was released, see
    /// <see cref="VolumeMeshPipelineOptions.ReleaseVolume"/>).</summary>
    public Volume<float>? Float { get; private set; }

    /// <summary>Where the volume came from, for messages (a file name, "phantom", …).</summary>
    public string Description { get; }

    /// <summary>The geometry.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>Whether <see cref="VolumeMeshPipeline"/> dropped the voxels (<see cref="VolumeMeshPipelineOptions.ReleaseVolume"/>).</summary>
    public bool IsReleased => Int16 is null && Float is null;

    /// <summary>Drops this wrapper's reference to the voxels (they are not modified), so that they can be collected when no one else holds them.</summary>
    internal void Release()
    {
        Int16 = null;
        Float = null;
    }

    /// <summary>Wraps a 16-bit volume (no copy).</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="description">Where it came from.</param>
    /// <returns>The input.</returns>
    public static PipelineVolume FromInt16(Volume<short> volume, string description = "volume")
    {
        ArgumentNullException.ThrowIfNull(volume);
        return new PipelineVolume(volume, null, description);
    }

    /// <summary>Wraps a float volume (no copy).</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="description">Where it came from.</param>
    /// <returns>The input.</returns>
    public static PipelineVolume FromFloat(Volume<float> volume, string description = "volume")
    {
        ArgumentNullException.ThrowIfNull(volume);
        return new PipelineVolume(null, volume, description);
    }

    /// <summary>Wraps a NRRD volume: int8, uint8 and int16 files as 16-bit integers (exact), every other type as floats.</summary>
    /// <param name="nrrd">The NRRD volume.</param>
    /// <returns>The input.</returns>
    public static PipelineVolume FromNrrd(NrrdVolume nrrd)
    {
        ArgumentNullException.ThrowIfNull(nrrd);
        return nrrd.ScalarType is NrrdScalarType.Int8 or NrrdScalarType.UInt8 or NrrdScalarType.Int16
            ? FromInt16(nrrd.AsInt16(), nrrd.Path)
            : FromFloat(nrrd.AsFloat(), nrrd.Path);
    }
}
