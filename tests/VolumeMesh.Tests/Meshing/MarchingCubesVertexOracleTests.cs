using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Meshing;

/// <summary>
/// The engine's vertices against the contract written out edge by edge (docs/marching-cubes-contract.md): vertex ids in
/// the contract's order, each position computed with <see cref="VolumeGeometry.IndexToPatient"/> from the contract's
/// crossing rule, compared bit for bit. The geometry has uneven slice spacing, tilt and a mirrored axis, and the volumes
/// are large enough that most vertices go through the engine's four-wide path and some through its scalar one.
/// </summary>
public class MarchingCubesVertexOracleTests
{
    private const double Epsilon = 1.0 / 256;

    [Theory]
    [InlineData(23, 19, 11, 1)]
    [InlineData(70, 9, 6, 2)]
    [InlineData(5, 4, 3, 3)]
    [InlineData(17, 13, 1, 4)]
    public void IsoVerticesEqualTheContractBitForBit(int nx, int ny, int nz, int seed)
    {
        VolumeGeometry geometry = UnevenGeometry(nx, ny, nz);
        var random = new Random(seed);
        var voxels = new float[nx * ny * nz];
        for (int v = 0; v < voxels.Length; v++)
        {
            // A few values exactly at the level, so the clamp matters.
            voxels[v] = random.Next(8) == 0 ? 0.5f : (float)random.NextDouble();
        }

        var volume = new Volume<float>(geometry, voxels);
        const double iso = 0.5;
        Mesh mesh = MarchingCubes.FromIso(volume, iso);
        Vector3[] expected = ContractVertices(geometry, v => voxels[v] >= iso, (inside, outside) => (iso - voxels[inside]) / ((double)voxels[outside] - voxels[inside]));

        Assert.True(expected.Length > 20);
        AssertBitwiseEqual(expected, mesh.Vertices);
    }

    [Theory]
    [InlineData(31, 12, 9, 5)]
    [InlineData(6, 6, 6, 6)]
    public void RangeAndMaskedRangeVerticesEqualTheContractBitForBit(int nx, int ny, int nz, int seed)
    {
        VolumeGeometry geometry = UnevenGeometry(nx, ny, nz);
        var random = new Random(seed);
        var voxels = new short[nx * ny * nz];
        for (int v = 0; v < voxels.Length; v++)
        {
            voxels[v] = (short)random.Next(-200, 1200);
        }

        var volume = new Volume<short>(geometry, voxels);
        const double low = 226, high = 700;
        bool InRange(int v) => voxels[v] >= low && voxels[v] <= high;
        double RangeCrossing(int inside, int outside)
        {
            double a = voxels[inside], b = voxels[outside];
            return ((b > high ? high : low) - a) / (b - a);
        }

        Vector3[] range = ContractVertices(geometry, InRange, RangeCrossing);
        Assert.True(range.Length > 20);
        AssertBitwiseEqual(range, MarchingCubes.FromRange(volume, low, high).Vertices);

        // A mask that differs from the range: every seventh voxel flipped, so both crossing rules (level and midway) occur.
        var maskVoxels = new byte[voxels.Length];
        for (int v = 0; v < voxels.Length; v++)
        {
            maskVoxels[v] = (byte)(InRange(v) ^ (v % 7 == 0) ? 1 : 0);
        }

        double MaskedCrossing(int inside, int outside)
        {
            double a = voxels[inside], b = voxels[outside];
            return a < low || a > high || (b >= low && b <= high) ? 0.5 : ((b > high ? high : low) - a) / (b - a);
        }

        Vector3[] masked = ContractVertices(geometry, v => maskVoxels[v] != 0, MaskedCrossing);
        AssertBitwiseEqual(masked, MarchingCubes.FromMaskedRange(volume, new Mask(geometry, maskVoxels), low, high).Vertices);
    }

    /// <summary>Slices 1, 1.3, 0.8, 1.1, … mm apart along a tilted normal, with the column direction mirrored (left-handed).</summary>
    private static VolumeGeometry UnevenGeometry(int nx, int ny, int nz)
    {
        var positions = new Vector3D[nz];
        var p = new Vector3D(-12.25, 3.5, 101.75);
        for (int k = 0; k < nz; k++)
        {
            positions[k] = p;
            double step = k % 3 == 0 ? 1.0 : k % 3 == 1 ? 1.3 : 0.8;
            p += new Vector3D(0.07, 0.02, 1) * step;
        }

        return new VolumeGeometry(nx, ny, 0.61, 0.73, new Vector3D(1, 0, 0), new Vector3D(0, -1, 0), positions);
    }

    /// <summary>Every crossed lattice edge in the contract's vertex order, positioned by the contract.</summary>
    private static Vector3[] ContractVertices(VolumeGeometry geometry, Func<int, bool> inside, Func<int, int, double> crossing)
    {
        int nx = geometry.SizeX, ny = geometry.SizeY, nz = geometry.SizeZ;
        bool In(int x, int y, int z) => x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz;
        int Index(int x, int y, int z) => x + (nx * (y + (ny * z)));
        bool Inside(int x, int y, int z) => In(x, y, z) && inside(Index(x, y, z));

        var vertices = new List<Vector3>();
        for (int z = -1; z <= nz; z++)
        {
            for (int y = -1; y <= ny; y++)
            {
                for (int axis = 0; axis < 3; axis++)
                {
                    for (int x = -1; x <= nx; x++)
                    {
                        int x1 = x + (axis == 0 ? 1 : 0), y1 = y + (axis == 1 ? 1 : 0), z1 = z + (axis == 2 ? 1 : 0);
                        bool startInside = Inside(x, y, z);
                        if (startInside == Inside(x1, y1, z1))
                        {
                            continue;
                        }

                        double t = Epsilon;
                        if (In(x, y, z) && In(x1, y1, z1))
                        {
                            t = startInside ? crossing(Index(x, y, z), Index(x1, y1, z1)) : crossing(Index(x1, y1, z1), Index(x, y, z));
                            t = t > Epsilon ? (t < 1 - Epsilon ? t : 1 - Epsilon) : Epsilon;
                        }

                        double along = startInside ? t : 1 - t;
                        Vector3D p = geometry.IndexToPatient(x + (axis == 0 ? along : 0), y + (axis == 1 ? along : 0), z + (axis == 2 ? along : 0));
                        vertices.Add(new Vector3((float)p.X, (float)p.Y, (float)p.Z));
                    }
                }
            }
        }

        return [.. vertices];
    }

    private static void AssertBitwiseEqual(Vector3[] expected, Vector3[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int v = 0; v < expected.Length; v++)
        {
            Vector3 e = expected[v], a = actual[v];
            bool same = BitConverter.SingleToInt32Bits(e.X) == BitConverter.SingleToInt32Bits(a.X)
                && BitConverter.SingleToInt32Bits(e.Y) == BitConverter.SingleToInt32Bits(a.Y)
                && BitConverter.SingleToInt32Bits(e.Z) == BitConverter.SingleToInt32Bits(a.Z);
            Assert.True(same, $"vertex {v}: expected {e}, got {a}");
        }
    }
}
