namespace VolumeMesh.Processing;

/// <summary>
/// The state of one sweep of collapses: the vertex range it owns (all of it for a serial sweep), its marking stamp,
/// scratch, and (for a parallel sweep) its counts and its region of the reference buffer, merged after the pass.
/// </summary>
internal sealed class CollapseSweep
{
    /// <summary>Whether this is the serial sweep over all vertices, which updates the decimator's counts at once.</summary>
    public bool Global = true;

    /// <summary>The first vertex the sweep owns.</summary>
    public int Lo;

    /// <summary>One past the last vertex the sweep owns.</summary>
    public int Hi;

    /// <summary>The last marking stamp used.</summary>
    public int Stamp;

    /// <summary>
    /// The triangles around both ends of the collapse being checked, gathered once by
    /// <see cref="CollapseValidity.TopologyAllows"/> when it allows the collapse: the survivor's fan first (the first
    /// <see cref="FanSplit"/> entries), then the removed vertex's, each in fan order. Placement, the star check and the
    /// commit read them instead of walking the fans again.
    /// </summary>
    public FanCorner[] Fans = new FanCorner[64];

    /// <summary>How many of <see cref="Fans"/> are in use.</summary>
    public int FanCount;

    /// <summary>Where the removed vertex's triangles start in <see cref="Fans"/>.</summary>
    public int FanSplit;

    /// <summary>The triangles that remain around the last accepted position (see <see cref="CollapseValidity.StarAcceptable"/>).</summary>
    public int[] StarTris = new int[256];

    /// <summary>How many of <see cref="StarTris"/> are in use.</summary>
    public int StarCount;

    /// <summary>Collapses made (parallel sweeps).</summary>
    public int Collapses;

    /// <summary>Triangles removed (parallel sweeps).</summary>
    public int Removed;

    /// <summary>The largest quadric error per unit weight of a collapse made, squared.</summary>
    public double MaxError2;

    /// <summary>Where the next new fan goes in the reference buffer (parallel sweeps).</summary>
    public int RefsNext;

    /// <summary>The end of this sweep's region of the reference buffer (parallel sweeps).</summary>
    public int RefsEnd;

    /// <summary>The change stamp a collapse gives its survivor (parallel sweeps).</summary>
    public int TouchValue;

    /// <summary>The most triangles this sweep may remove (parallel sweeps).</summary>
    public int Budget;

    /// <summary>Candidates skipped because their other end lies outside the range (parallel sweeps).</summary>
    public int Deferred;

    /// <summary>The error tracker this sweep checks and commits with, or null without an error bound.</summary>
    public ErrorTracker? Tracker;

    /// <summary>Takes the range [lo, hi), and a stamp above every mark written so far.</summary>
    public void Reset(int lo, int hi, int stamp)
    {
        Lo = lo;
        Hi = hi;
        Stamp = Math.Max(Stamp, stamp);
    }
}

/// <summary>A triangle of a fan seen from the fan's vertex v: the triangle, v's corner in it, and the two other corners in the triangle's order after v.</summary>
internal struct FanCorner
{
    /// <summary>The triangle.</summary>
    public int Triangle;

    /// <summary>Which corner of the triangle (0, 1 or 2) is the fan's vertex.</summary>
    public int Corner;

    /// <summary>The corner after the fan's vertex.</summary>
    public int Next;

    /// <summary>The corner after <see cref="Next"/>.</summary>
    public int Last;
}
