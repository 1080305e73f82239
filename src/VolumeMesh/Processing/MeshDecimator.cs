using VolumeMesh.Meshing;

namespace VolumeMesh.Processing;

/// <summary>
/// Quadric error metric edge-collapse decimation (Garland &amp; Heckbert 1997) that never changes the topology of the mesh.
/// </summary>
/// <remarks>
/// <para>
/// Each vertex carries the area-weighted quadric of the planes of its original triangles; the edge whose collapse
/// costs least is collapsed first, its vertex placed where the summed quadric is smallest (the 3×3 system, made
/// regular by a slight pull towards the edge midpoint; with <see cref="DecimationOptions.PreserveVolume"/> under the
/// linear constraint that the enclosed volume does not change, Lindstrom &amp; Turk 1998), falling back to the best
/// of the endpoints and the midpoint when the system is singular or its solution lies far from the edge.
/// </para>
/// <para>
/// A collapse is refused when it would change the topology or damage the surface: when the edge's endpoints have
/// common neighbours other than the corners opposite the edge (the link condition, Dey et al. 1999), when it would
/// turn a shell into less than a tetrahedron, when it would pinch two boundary vertices through an interior edge or
/// close a hole, when a remaining triangle's normal would flip or rotate more than
/// <see cref="DecimationOptions.MaxNormalChangeDegrees"/>, or when it would create a triangle of quality below
/// <see cref="DecimationOptions.MinTriangleQuality"/> that was not already that bad. Vertices on non-manifold or
/// inconsistently oriented edges, or whose triangles do not form one fan, are never moved or removed. Closed,
/// edge-manifold, consistently oriented input therefore stays so, with the same shells and Euler characteristics.
/// </para>
/// <para>
/// Error guarantee. The quadric cost is a weighted sum of squared distances to planes of the original triangles: its
/// root bounds the distance to those planes, not to the surface (<see cref="DecimationResult.MaxQuadricErrorMm"/>).
/// When <see cref="DecimationOptions.MaxErrorMm"/> is set, every collapse is also checked against the original
/// surface, and the symmetric Hausdorff distance between input and output is then at most MaxErrorMm (up to the
/// float32 rounding of the output positions), in both directions. The check comes in two phases.
/// (1) Successive mapping (the idea of Cohen, Manocha and Olano 1997): a bijection from the current surface onto the
/// input is kept implicitly, with a per-triangle bound of how far it moves a point, updated from the overlay of each
/// collapse's old and new regions projected along their normal; a collapse is accepted when every new triangle's bound
/// is within MaxErrorMm. A bijection with displacements within MaxErrorMm proves both directions, at a cost of
/// arithmetic on the collapse's neighbourhood only. Its bounds add displacements up, so at a tight bound it stops
/// first; then (2) takes over from the surface reached.
/// (2) Exact checks: every input triangle is attached to one output vertex whose fan covers it, all three of its
/// corners within MaxErrorMm of one fan triangle or the whole triangle covered piecewise (as the distance to a triangle
/// is convex, the whole input triangle is within MaxErrorMm); an input triangle that spans several fans is split into
/// pieces that are attached instead, and around the rare piece still uncovered the surface is locked (kept as it is:
/// the mapping keeps it within the bound). Each collapse re-checks the input triangles attached to the fans it changes,
/// and every new triangle must be covered by sub-triangles (recursive 4-split) that are either within MaxErrorMm of
/// one input triangle at all three corners (convexity) or whose centroid is within MaxErrorMm minus the sub-triangle's
/// radius of the input (the distance is 1-Lipschitz), unless its mapping bound or the distance its vertices moved
/// settles it. Both checks search only the input triangles of the collapsed region, so they may refuse a collapse that
/// was acceptable, never the reverse.
/// <see cref="DecimationResult.MeasuredErrorMm"/> reports the largest input → output bound met: the largest mapping
/// bound accepted in (1), and the largest distance of an attached input triangle's corners to its cover in (2).
/// </para>
/// <para>
/// The bound is to the mesh given to <see cref="Decimate(Mesh, DecimationOptions, IProgress{double}?, CancellationToken)"/> (in the pipeline: after smoothing), not to the
/// marching-cubes surface before smoothing. When no further collapse keeps it, decimation stops short of the target
/// with <see cref="DecimationStopReason.NoValidCollapse"/>, and <see cref="DecimationResult.TrianglesAfter"/> says how
/// many triangles it reached.
/// </para>
/// <para>
/// Order: on meshes of 100,000 triangles or more (with or without MaxErrorMm) collapses run in passes: each pass
/// evaluates the cheapest edge of every changed vertex in parallel, picks a cost threshold from a histogram and sweeps
/// the vertices in index order (cache-friendly), in parallel over slabs of consecutive vertices that only collapse
/// edges whose neighbourhood lies inside the slab (the result does not depend on the number of threads; the error
/// check of a collapse reads and writes only the state of that neighbourhood, with per-thread scratch); otherwise in
/// strict cost order from a queue. Cost: about O(n log n) for n triangles,
/// flat arrays (triangle corners, one vertex-to-triangle reference buffer, a
/// bucket queue of collapses by cost with lazy invalidation; refused collapses are retried later, at most three times) and no allocation per collapse. The result is deterministic.
/// </para>
/// </remarks>
public static class MeshDecimator
{
    /// <summary>Decimates a mesh.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <param name="options">When to stop and which collapses are allowed; at least one stopping criterion must be set.</param>
    /// <param name="progress">Receives the fraction of the triangles to remove that has been removed, from 0 to 1.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The decimated mesh and what was done.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="DecimationOptions.ReductionRatio"/> is outside [0, 1), <see cref="DecimationOptions.TargetTriangleCount"/>
    /// is negative, <see cref="DecimationOptions.MaxErrorMm"/> is not a positive finite number,
    /// <see cref="DecimationOptions.MinTriangleQuality"/> is outside [0, 1], <see cref="DecimationOptions.MaxNormalChangeDegrees"/>
    /// is outside (0, 180] or <see cref="DecimationOptions.BoundaryWeight"/> is negative.
    /// </exception>
    /// <exception cref="ArgumentException">None of TargetTriangleCount, ReductionRatio and MaxErrorMm is set, or
    /// <see cref="DecimationOptions.LockedVertices"/> does not have one flag per vertex.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static DecimationResult Decimate(Mesh mesh, DecimationOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        DecimateInOrder(mesh, options, progress, cancellationToken, usePasses: null);

    /// <summary>
    /// As <see cref="Decimate(Mesh, DecimationOptions, IProgress{double}?, CancellationToken)"/>, choosing the collapse
    /// order, and optionally the number of threads, the slab size of parallel passes (or the smallest adaptive one) and
    /// how often the error tracker splits an input triangle when the exact checks take over (tests).
    /// </summary>
    internal static DecimationResult DecimateInOrder(
        Mesh mesh, DecimationOptions options, IProgress<double>? progress, CancellationToken cancellationToken, bool? usePasses,
        int? maxThreads = null, int? slabVertices = null, int? splitLevels = null, int? minSlabVertices = null)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReductionRatio is double ratio && !(ratio >= 0 && ratio < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), ratio, $"{nameof(DecimationOptions.ReductionRatio)} must be in [0, 1).");
        }

        if (options.TargetTriangleCount is int target && target < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), target, $"{nameof(DecimationOptions.TargetTriangleCount)} must not be negative.");
        }

        if (options.MaxErrorMm is double maxError && !(maxError > 0 && double.IsFinite(maxError)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), maxError, $"{nameof(DecimationOptions.MaxErrorMm)} must be a positive number of millimetres.");
        }

        if (!(options.MinTriangleQuality >= 0 && options.MinTriangleQuality <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinTriangleQuality, $"{nameof(DecimationOptions.MinTriangleQuality)} must be in [0, 1].");
        }

        if (!(options.MaxNormalChangeDegrees > 0 && options.MaxNormalChangeDegrees <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxNormalChangeDegrees, $"{nameof(DecimationOptions.MaxNormalChangeDegrees)} must be in (0, 180].");
        }

        if (!(options.BoundaryWeight >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BoundaryWeight, $"{nameof(DecimationOptions.BoundaryWeight)} must not be negative.");
        }

        if (options.TargetTriangleCount is null && options.ReductionRatio is null && options.MaxErrorMm is null)
        {
            throw new ArgumentException(
                $"Set at least one of {nameof(DecimationOptions.TargetTriangleCount)}, {nameof(DecimationOptions.ReductionRatio)} and {nameof(DecimationOptions.MaxErrorMm)}.",
                nameof(options));
        }

        if (options.LockedVertices is { } locked && locked.Count != mesh.VertexCount)
        {
            throw new ArgumentException(
                $"{nameof(DecimationOptions.LockedVertices)} has {locked.Count} flags but the mesh has {mesh.VertexCount} vertices.", nameof(options));
        }

        Execution.Parallelism.Validate(options.MaxDegreeOfParallelism, nameof(DecimationOptions.MaxDegreeOfParallelism));
        maxThreads ??= options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : null;
        cancellationToken.ThrowIfCancellationRequested();
        var engine = new QuadricDecimator(mesh, options, maxThreads) { UsePasses = usePasses };
        if (minSlabVertices is int minSlab)
        {
            engine.MinSlabVertices = minSlab;
        }

        if (slabVertices is int slab)
        {
            engine.SlabVertices = slab;
        }

        if (splitLevels is int levels)
        {
            engine.SplitLevels = levels;
        }

        int count = mesh.TriangleCount;
        int goal = 0;
        if (options.TargetTriangleCount is int t)
        {
            goal = Math.Max(goal, t);
        }

        if (options.ReductionRatio is double r)
        {
            goal = Math.Max(goal, (int)Math.Ceiling(count * (1 - r)));
        }

        return engine.Run(goal, progress, cancellationToken);
    }
}
