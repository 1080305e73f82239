using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Support;

internal static class TestVolumes
{
    /// <summary>Every <paramref name="step"/>-th voxel of each slice (the slices and their tilted positions kept), for a test that runs in seconds.</summary>
    public static Volume<short> Subsample(Volume<short> volume, int step)
    {
        VolumeGeometry g = volume.Geometry;
        int nx = g.SizeX / step, ny = g.SizeY / step, nz = g.SizeZ;
        var geometry = new VolumeGeometry(nx, ny, g.SpacingX * step, g.SpacingY * step, g.RowDirection, g.ColumnDirection, g.SlicePositions);
        var voxels = new short[nx * ny * nz];
        for (int k = 0; k < nz; k++)
        {
            for (int j = 0; j < ny; j++)
            {
                for (int i = 0; i < nx; i++)
                {
                    voxels[i + (nx * (j + (ny * k)))] = volume.Voxels[(i * step) + (g.SizeX * ((j * step) + (g.SizeY * k)))];
                }
            }
        }

        return new Volume<short>(geometry, voxels);
    }
}
