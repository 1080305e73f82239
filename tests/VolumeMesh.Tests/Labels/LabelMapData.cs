using System.Text.Json;
using VolumeMesh.Geometry;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Labels;

/// <summary>The synthetic label maps of Data/LabelMaps (written by nibabel, see make_label_maps.py) and their oracle affines.</summary>
internal static class LabelMapData
{
    public const int SizeX = 16, SizeY = 14, SizeZ = 12;

    public static string Folder => Path.Combine(RepoPaths.Root ?? throw new InvalidOperationException("repository root not found"), "tests", "VolumeMesh.Tests", "Data", "LabelMaps");

    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>The label map the script writes, rebuilt from its stated blocks (i fastest).</summary>
    public static int[] ExpectedLabels()
    {
        var labels = new int[SizeX * SizeY * SizeZ];
        Fill(labels, 1, 2, 6, 3, 8, 2, 7);
        Fill(labels, 2, 7, 11, 3, 8, 2, 7);
        Fill(labels, 3, 2, 11, 9, 11, 2, 7);
        Fill(labels, 5, 13, 14, 1, 2, 9, 10);
        return labels;
    }

    /// <summary>nibabel's own RAS affine for a file (its sform/qform choice), as 4×4 rows.</summary>
    public static double[,] AffineRas(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllText(File("expected.json")));
        JsonElement rows = doc.RootElement.GetProperty(name).GetProperty("affineRas");
        var a = new double[4, 4];
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                a[r, c] = rows[r][c].GetDouble();
            }
        }

        return a;
    }

    /// <summary>Index → LPS through nibabel's affine (RAS → LPS: x and y negated).</summary>
    public static Vector3D IndexToLps(double[,] ras, double i, double j, double k) => new(
        -((ras[0, 0] * i) + (ras[0, 1] * j) + (ras[0, 2] * k) + ras[0, 3]),
        -((ras[1, 0] * i) + (ras[1, 1] * j) + (ras[1, 2] * k) + ras[1, 3]),
        (ras[2, 0] * i) + (ras[2, 1] * j) + (ras[2, 2] * k) + ras[2, 3]);

    /// <summary>LPS → index through the inverse of nibabel's affine.</summary>
    public static Vector3D LpsToIndex(double[,] ras, Vector3D lps)
    {
        // Solve M (i, j, k) = (x, y, z) − t with M the RAS 3×3 and (x, y, z) the RAS point, by Cramer's rule.
        double x = -lps.X - ras[0, 3], y = -lps.Y - ras[1, 3], z = lps.Z - ras[2, 3];
        double Det(double a, double b, double c, double d, double e, double f, double g, double h, double i) =>
            (a * ((e * i) - (f * h))) - (b * ((d * i) - (f * g))) + (c * ((d * h) - (e * g)));
        double det = Det(ras[0, 0], ras[0, 1], ras[0, 2], ras[1, 0], ras[1, 1], ras[1, 2], ras[2, 0], ras[2, 1], ras[2, 2]);
        double di = Det(x, ras[0, 1], ras[0, 2], y, ras[1, 1], ras[1, 2], z, ras[2, 1], ras[2, 2]);
        double dj = Det(ras[0, 0], x, ras[0, 2], ras[1, 0], y, ras[1, 2], ras[2, 0], z, ras[2, 2]);
        double dk = Det(ras[0, 0], ras[0, 1], x, ras[1, 0], ras[1, 1], y, ras[2, 0], ras[2, 1], z);
        return new Vector3D(di / det, dj / det, dk / det);
    }

    /// <summary>|det| of the affine's 3×3: the volume of one voxel in mm³.</summary>
    public static double VoxelVolume(double[,] a) => Math.Abs(
        (a[0, 0] * ((a[1, 1] * a[2, 2]) - (a[1, 2] * a[2, 1]))) - (a[0, 1] * ((a[1, 0] * a[2, 2]) - (a[1, 2] * a[2, 0])))
        + (a[0, 2] * ((a[1, 0] * a[2, 1]) - (a[1, 1] * a[2, 0]))));

    public static readonly string[] Files =
    [
        "ras_sform.nii", "lps_affine.nii.gz", "qform_only.nii", "oblique_sform.nii.gz", "pair_bigendian.hdr", "nifti2_scaled.nii", "labels.nrrd",
    ];

    private static void Fill(int[] labels, int id, int i0, int i1, int j0, int j1, int k0, int k1)
    {
        for (int k = k0; k <= k1; k++)
        {
            for (int j = j0; j <= j1; j++)
            {
                for (int i = i0; i <= i1; i++)
                {
                    labels[i + (SizeX * (j + (SizeY * k)))] = id;
                }
            }
        }
    }
}
