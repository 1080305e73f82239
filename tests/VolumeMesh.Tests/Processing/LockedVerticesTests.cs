using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Processing;

/// <summary>Per-vertex locks of <see cref="DecimationOptions.LockedVertices"/> and <see cref="WindowedSincOptions.LockedVertices"/>.</summary>
public sealed class LockedVerticesTests
{
    [Fact]
    public void DecimationKeepsEveryLockedVertexInPlace()
    {
        Mesh mesh = MarchingCubes.FromIso(Phantoms.SphereDistanceField(32, 12), 0);
        bool[] locked = LockHalf(mesh, out float cut);
        DecimationResult free = MeshDecimator.Decimate(mesh, new DecimationOptions { ReductionRatio = 0.8 });
        DecimationResult held = MeshDecimator.Decimate(mesh, new DecimationOptions { ReductionRatio = 0.8, LockedVertices = locked });

        var lockedPositions = new HashSet<Vector3>();
        for (int v = 0; v < locked.Length; v++)
        {
            if (locked[v])
            {
                lockedPositions.Add(mesh.Vertices[v]);
            }
        }

        Assert.False(lockedPositions.IsSubsetOf(free.Mesh.Vertices), "without locks the half should be decimated too");
        Assert.True(lockedPositions.IsSubsetOf(held.Mesh.Vertices), "a locked vertex moved or was removed");
        Assert.True(MeshReport.Compute(held.Mesh).IsWatertight);

        // The free half was decimated: fewer vertices there than before.
        int freeBefore = mesh.Vertices.Count(v => v.X >= cut), freeAfter = held.Mesh.Vertices.Count(v => v.X >= cut);
        Assert.True(freeAfter < freeBefore / 2, $"{freeAfter} of {freeBefore} free vertices left");
    }

    [Fact]
    public void SmoothingKeepsLockedVerticesExactlyAndMovesTheOthers()
    {
        Mesh mesh = MarchingCubes.FromIso(Phantoms.SphereDistanceField(24, 9), 0);
        bool[] locked = LockHalf(mesh, out _);
        Mesh smoothed = MeshSmoother.WindowedSinc(mesh, new WindowedSincOptions { Iterations = 20, LockedVertices = locked });
        Mesh taubin = MeshSmoother.Taubin(mesh, new TaubinSmoothingOptions { Iterations = 10, LockedVertices = locked });
        int moved = 0;
        for (int v = 0; v < mesh.VertexCount; v++)
        {
            if (locked[v])
            {
                Assert.Equal(mesh.Vertices[v], smoothed.Vertices[v]);
                Assert.Equal(mesh.Vertices[v], taubin.Vertices[v]);
            }
            else if (smoothed.Vertices[v] != mesh.Vertices[v])
            {
                moved++;
            }
        }

        Assert.True(moved > mesh.VertexCount / 4, $"{moved} free vertices moved");
        Assert.Throws<ArgumentException>(() => MeshSmoother.WindowedSinc(mesh, new WindowedSincOptions { LockedVertices = new bool[3] }));
        Assert.Throws<ArgumentException>(() => MeshDecimator.Decimate(mesh, new DecimationOptions { ReductionRatio = 0.5, LockedVertices = new bool[3] }));
    }

    private static bool[] LockHalf(Mesh mesh, out float cut)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (Vector3 v in mesh.Vertices)
        {
            min = Math.Min(min, v.X);
            max = Math.Max(max, v.X);
        }

        cut = (min + max) / 2;
        var locked = new bool[mesh.VertexCount];
        for (int v = 0; v < locked.Length; v++)
        {
            locked[v] = mesh.Vertices[v].X < cut;
        }

        return locked;
    }
}
