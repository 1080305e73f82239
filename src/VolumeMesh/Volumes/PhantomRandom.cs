namespace VolumeMesh.Volumes;

/// <summary>A small deterministic generator (SplitMix64, Steele, Lea &amp; Flood 2014) for phantoms: one stream per slice, so
/// a volume is identical for any thread count.</summary>
internal struct PhantomRandom
{
    private ulong _state;
    private float _spare;
    private bool _hasSpare;

    public PhantomRandom(int seed, int stream)
    {
        _state = ((ulong)(uint)seed << 32) ^ (ulong)(uint)stream ^ 0x9E3779B97F4A7C15UL;
        _spare = 0;
        _hasSpare = false;
        NextUInt64();
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Standard normal (Box–Muller, two values per pair of uniforms).</summary>
    public float NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        ulong bits = NextUInt64();
        float u1 = ((bits >> 40) + 1) * (1f / ((1 << 24) + 1)); // (0, 1): log is finite
        float u2 = ((bits >> 16) & 0xFFFFFF) * (1f / (1 << 24));
        float radius = MathF.Sqrt(-2f * MathF.Log(u1));
        (float sin, float cos) = MathF.SinCos(2f * MathF.PI * u2);
        _spare = radius * sin;
        _hasSpare = true;
        return radius * cos;
    }
}
