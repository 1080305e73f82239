using VolumeMesh.IO;

namespace VolumeMesh.Dicom;

/// <summary>DICOM CIELab colours (PS3.3 C.10.7.1.1) to 8-bit sRGB.</summary>
/// <remarks>
/// DICOM encodes L* 0…100 and a*, b* −128…127 as 0…65535 (the ICC PCS encoding), relative to the D50 white of the ICC profile
/// connection space. The conversion is CIELab → XYZ (D50) → Bradford adaptation to D65 → linear sRGB (IEC 61966-2-1) → sRGB
/// transfer curve, clamped to the gamut and rounded.
/// </remarks>
internal static class CieLab
{
    private const double Delta = 6.0 / 29.0;

    public static PartColor ToSrgb(ushort l, ushort a, ushort b)
    {
        double lStar = l * 100.0 / 65535.0;
        double aStar = (a * 255.0 / 65535.0) - 128.0;
        double bStar = (b * 255.0 / 65535.0) - 128.0;
        double fy = (lStar + 16.0) / 116.0;
        double x50 = 0.96422 * Inverse(fy + (aStar / 500.0));
        double y50 = Inverse(fy);
        double z50 = 0.82521 * Inverse(fy - (bStar / 200.0));

        // Bradford D50 → D65 (Lindbloom).
        double x = (0.9555766 * x50) - (0.0230393 * y50) + (0.0631636 * z50);
        double y = (-0.0282895 * x50) + (1.0099416 * y50) + (0.0210077 * z50);
        double z = (0.0122982 * x50) - (0.0204830 * y50) + (1.3299098 * z50);

        double r = (3.2404542 * x) - (1.5371385 * y) - (0.4985314 * z);
        double g = (-0.9692660 * x) + (1.8760108 * y) + (0.0415560 * z);
        double bl = (0.0556434 * x) - (0.2040259 * y) + (1.0572252 * z);
        return new PartColor(Encode(r), Encode(g), Encode(bl));
    }

    private static double Inverse(double t) => t > Delta ? t * t * t : 3 * Delta * Delta * (t - (4.0 / 29.0));

    private static byte Encode(double linear)
    {
        double c = Math.Clamp(linear, 0, 1);
        double s = c <= 0.0031308 ? 12.92 * c : (1.055 * Math.Pow(c, 1 / 2.4)) - 0.055;
        return (byte)Math.Round(Math.Clamp(s, 0, 1) * 255);
    }
}
