namespace VolumeMesh.Compute.Kernels;

/// <summary>Converts a voxel of type <typeparamref name="T"/> to double inside a kernel (ILGPU cannot call generic math).</summary>
/// <typeparam name="T">The voxel type.</typeparam>
internal interface IVoxelReader<T>
    where T : unmanaged
{
    double ToDouble(T value);
}

internal readonly struct ByteReader : IVoxelReader<byte>
{
    public double ToDouble(byte value) => value;
}

internal readonly struct SByteReader : IVoxelReader<sbyte>
{
    public double ToDouble(sbyte value) => value;
}

internal readonly struct Int16Reader : IVoxelReader<short>
{
    public double ToDouble(short value) => value;
}

internal readonly struct UInt16Reader : IVoxelReader<ushort>
{
    public double ToDouble(ushort value) => value;
}

internal readonly struct Int32Reader : IVoxelReader<int>
{
    public double ToDouble(int value) => value;
}

internal readonly struct UInt32Reader : IVoxelReader<uint>
{
    public double ToDouble(uint value) => value;
}

internal readonly struct SingleReader : IVoxelReader<float>
{
    public double ToDouble(float value) => value;
}

internal readonly struct DoubleReader : IVoxelReader<double>
{
    public double ToDouble(double value) => value;
}

/// <summary>
/// The inside test and crossing level shared by every kernel, as the managed engine defines them: inside is
/// Low ≤ value ≤ High with the bounds already rounded to the voxel type (mask: value ≠ 0); the crossing level is
/// LevelHigh where the outside value lies above it, else LevelLow (iso: LevelLow = iso, LevelHigh = +∞).
/// </summary>
internal struct InsideTest
{
    public const int ModeRange = 0;
    public const int ModeMask = 1;

    /// <summary>
    /// A selected mask on an int16 field, packed into int32 voxels: the value itself where the mask is set, the value plus
    /// <see cref="MaskedOffset"/> where it is not. Inside is the mask (packed value below half the offset); the crossing
    /// follows the managed masked-range rule on the unpacked values.
    /// </summary>
    public const int ModeMaskedRange = 2;

    /// <summary>What packing adds to a voxel outside the mask (int16 values stay far below half of it).</summary>
    public const int MaskedOffset = 1 << 20;

    public int Mode;
    public double Low;
    public double High;
    public double LevelLow;
    public double LevelHigh;

    public static InsideTest Iso(double threshold, double iso) => new()
    {
        Mode = ModeRange, Low = threshold, High = double.PositiveInfinity, LevelLow = iso, LevelHigh = double.PositiveInfinity,
    };

    public static InsideTest Range(double lowValue, double highValue, double low, double high) => new()
    {
        Mode = ModeRange, Low = lowValue, High = highValue, LevelLow = low, LevelHigh = high,
    };

    public static InsideTest Mask() => new()
    {
        Mode = ModeMask, Low = 0.5, High = double.PositiveInfinity, LevelLow = 0.5, LevelHigh = double.PositiveInfinity,
    };

    public static InsideTest MaskedRange(double low, double high) => new()
    {
        Mode = ModeMaskedRange, Low = double.NegativeInfinity, High = MaskedOffset / 2, LevelLow = low, LevelHigh = high,
    };

    /// <summary>The field value of a packed masked-range voxel.</summary>
    public static double Unpack(double packed) => packed >= MaskedOffset / 2 ? packed - MaskedOffset : packed;

    public readonly bool Inside(double value) => Mode == ModeMask ? value != 0 : (value >= Low && value <= High);
}
