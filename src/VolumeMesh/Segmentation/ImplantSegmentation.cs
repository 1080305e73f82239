using System.Numerics;
using VolumeMesh.Components;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>Separates a metal implant from the bone: the implant as its own mask, the bone without the implant and a
/// margin around it.</summary>
/// <remarks>
/// <para>Steps: (1) metal core = voxels in <see cref="ImplantOptions.MetalRange"/>, 6-connected components of at least
/// <see cref="ImplantOptions.MinImplantVolumeMm3"/>. (2) Surface value: <see cref="ImplantOptions.SurfaceHu"/> or the
/// half-maximum between the core's median and the median of the voxels one to two voxels around it. (3) Implant = core
/// plus its face-neighbour voxels at or above the surface value (the partial-volume voxels the edge runs through); it is
/// meshed on the field at the surface value. (4) Bone = bone mask less every voxel within
/// <see cref="ImplantOptions.MarginMm"/> plus half a voxel of the implant's voxels (ball dilation, <see cref="Morphology.Dilate"/>),
/// so the bone's cut surface, midway between kept and removed voxels, keeps the margin; the CT bone range
/// includes metal, and streaks and partial volume make a bright ring around it, so without the margin the two would be
/// one solid. (5) Bone components touching the margin and smaller than <see cref="ImplantOptions.MinFragmentVolumeMm3"/>
/// are streak debris and are dropped.</para>
/// </remarks>
public static class ImplantSegmentation
{
    /// <summary>Segments the implant and removes it, with the margin, from the bone.</summary>
    /// <typeparam name="T">The voxel type of the HU volume.</typeparam>
    /// <param name="hu">The CT volume in HU.</param>
    /// <param name="bone">The bone mask (e.g. the bone preset threshold), same size as <paramref name="hu"/>.</param>
    /// <param name="options">Options; <see cref="ImplantOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The implant and bone masks.</returns>
    /// <exception cref="ArgumentException">The mask and volume differ in size, or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">No metal core of the minimum volume is found (the volume holds no implant
    /// in the metal range; check the range against the scanner's scale).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static ImplantSegmentationResult Segment<T>(Volume<T> hu, Mask bone, ImplantOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(hu);
        ArgumentNullException.ThrowIfNull(bone);
        options ??= ImplantOptions.Default;
        if (bone.Voxels.Length != hu.Voxels.Length || bone.Geometry.SizeX != hu.SizeX || bone.Geometry.SizeY != hu.SizeY)
        {
            throw new ArgumentException("The bone mask and the HU volume differ in size.", nameof(bone));
        }

        if (!(options.MarginMm >= 0) || !double.IsFinite(options.MarginMm))
        {
            throw new ArgumentException($"The implant margin must be a finite number of millimetres ≥ 0, not {options.MarginMm}.", nameof(options));
        }

        var g = hu.Geometry;
        int threads = options.MaxDegreeOfParallelism;
        Mask metal = Threshold.Apply(hu, options.MetalRange, new ThresholdOptions { MaxDegreeOfParallelism = threads }, cancellationToken);
        LabelVolume cores = ConnectedComponents.Label(metal, new ConnectedComponentsOptions { Connectivity = Connectivity.Six, MaxDegreeOfParallelism = threads }, cancellationToken);
        var keep = new List<int>();
        foreach (ComponentStatistics component in cores.Statistics)
        {
            if (component.VolumeMm3 >= options.MinImplantVolumeMm3)
            {
                keep.Add(component.Label);
            }
        }

        if (keep.Count == 0)
        {
            throw new InvalidOperationException(
                $"No metal in {options.MetalRange} HU of at least {options.MinImplantVolumeMm3} mm³ ({cores.ComponentCount} smaller specks); there is no implant to separate at this range.");
        }

        Mask core = cores.CreateMask(keep);
        double oneVoxel = Math.Max(g.SpacingX, Math.Max(g.SpacingY, g.SliceSpacingMax)) * 1.001;
        var morphology = new MorphologyOptions { MaxDegreeOfParallelism = threads };
        Mask near1 = Morphology.Dilate(core, oneVoxel, morphology, cancellationToken);
        double surface = options.SurfaceHu ?? HalfMaximum(hu, core, near1, oneVoxel, morphology, cancellationToken);

        // Implant: the core and its neighbours at or above the surface value.
        byte[] implant = new byte[core.Voxels.Length];
        T[] values = hu.Voxels;
        for (int v = 0; v < implant.Length; v++)
        {
            implant[v] = (byte)(core.Voxels[v] != 0 || (near1.Voxels[v] != 0 && double.CreateTruncating(values[v]) >= surface) ? 1 : 0);
        }

        var implantMask = new Mask(g, implant);
        cancellationToken.ThrowIfCancellationRequested();
        // Half a voxel more than the margin: the bone's cut surface lies midway between kept and removed voxels, so it
        // then keeps the margin from the implant's voxel centres.
        double halfVoxel = 0.5 * Math.Max(g.SpacingX, Math.Max(g.SpacingY, g.SliceSpacingMax));
        Mask removed = options.MarginMm > 0 ? Morphology.Dilate(implantMask, options.MarginMm + halfVoxel, morphology, cancellationToken) : implantMask;
        byte[] boneVoxels = new byte[implant.Length];
        for (int v = 0; v < boneVoxels.Length; v++)
        {
            boneVoxels[v] = (byte)(bone.Voxels[v] != 0 && removed.Voxels[v] == 0 ? 1 : 0);
        }

        (Mask boneLeft, int fragments) = DropFragments(new Mask(g, boneVoxels), removed, options, cancellationToken);
        return new ImplantSegmentationResult
        {
            Implant = implantMask,
            Bone = boneLeft,
            Removed = removed,
            SurfaceHu = surface,
            ImplantComponents = keep.Count,
            NoiseComponentsDropped = cores.ComponentCount - keep.Count,
            FragmentsDropped = fragments,
        };
    }

    /// <summary>Halfway between the median of the core and the median of the ring one to two voxels around it.</summary>
    private static double HalfMaximum<T>(Volume<T> hu, Mask core, Mask near1, double oneVoxel, MorphologyOptions morphology, CancellationToken cancellationToken)
        where T : unmanaged, INumber<T>
    {
        Mask near2 = Morphology.Dilate(core, 2 * oneVoxel, morphology, cancellationToken);
        var inner = new List<double>();
        var ring = new List<double>();
        T[] values = hu.Voxels;
        for (int v = 0; v < values.Length; v++)
        {
            if (core.Voxels[v] != 0)
            {
                inner.Add(double.CreateTruncating(values[v]));
            }
            else if (near2.Voxels[v] != 0 && near1.Voxels[v] == 0)
            {
                ring.Add(double.CreateTruncating(values[v]));
            }
        }

        return ring.Count == 0 ? Median(inner) : (Median(inner) + Median(ring)) / 2;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    /// <summary>Drops bone components that touch the removed region and are smaller than the fragment volume.</summary>
    private static (Mask Bone, int Dropped) DropFragments(Mask bone, Mask removed, ImplantOptions options, CancellationToken cancellationToken)
    {
        if (!(options.MinFragmentVolumeMm3 > 0))
        {
            return (bone, 0);
        }

        LabelVolume labels = ConnectedComponents.Label(bone, new ConnectedComponentsOptions { Connectivity = Connectivity.Six, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, cancellationToken);
        var touches = new bool[labels.ComponentCount + 1];
        var g = bone.Geometry;
        int nx = g.SizeX, ny = g.SizeY, nz = g.SizeZ;
        int[] l = labels.Labels;
        byte[] r = removed.Voxels;
        for (int k = 0; k < nz; k++)
        {
            for (int j = 0; j < ny; j++)
            {
                int row = nx * (j + (ny * k));
                for (int i = 0; i < nx; i++)
                {
                    int v = row + i;
                    if (l[v] == 0 || touches[l[v]])
                    {
                        continue;
                    }

                    touches[l[v]] = (i > 0 && r[v - 1] != 0) || (i < nx - 1 && r[v + 1] != 0)
                        || (j > 0 && r[v - nx] != 0) || (j < ny - 1 && r[v + nx] != 0)
                        || (k > 0 && r[v - (nx * ny)] != 0) || (k < nz - 1 && r[v + (nx * ny)] != 0);
                }
            }
        }

        var keep = new List<int>();
        int dropped = 0;
        foreach (ComponentStatistics component in labels.Statistics)
        {
            if (touches[component.Label] && component.VolumeMm3 < options.MinFragmentVolumeMm3)
            {
                dropped++;
            }
            else
            {
                keep.Add(component.Label);
            }
        }

        return (dropped == 0 ? bone : labels.CreateMask(keep), dropped);
    }
}
