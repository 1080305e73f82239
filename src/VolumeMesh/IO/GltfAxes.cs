using System.Numerics;

namespace VolumeMesh.IO;

/// <summary>The fixed mapping between patient LPS millimetres and glTF's axes that <see cref="GltfWriter"/> uses.</summary>
/// <remarks>
/// <para>glTF 2.0 is right-handed with +Y up and the front of an asset facing +Z, in metres. A patient standing upright and
/// facing the viewer maps to: glTF +Y = superior (LPS +z), glTF +Z = anterior (LPS −y), and therefore, by the right-hand
/// rule, glTF +X = patient left (LPS +x). In coordinates: <c>(X, Y, Z)_glTF = (x, z, −y)_LPS</c>. This is a rotation
/// by −90° about the x axis (determinant +1), not a mirror: the winding stays counter-clockwise from outside and the
/// signed volume stays positive; the patient's left ends up on the viewer's right, as when facing a person.</para>
/// <para>Vertices are stored in millimetres on these axes (the mapping only permutes and negates, so it is exact); the
/// conversion to metres is the uniform scale 0.001 of the one root node that holds the part nodes.</para>
/// </remarks>
public static class GltfAxes
{
    /// <summary>The scale of the root node: millimetres to metres.</summary>
    public const float MetresPerMillimetre = 0.001f;

    /// <summary>A position or direction in LPS mapped to glTF axes (same unit).</summary>
    /// <param name="lps">The LPS vector.</param>
    /// <returns><c>(x, z, −y)</c>.</returns>
    public static Vector3 FromLps(Vector3 lps) => new(lps.X, lps.Z, -lps.Y);

    /// <summary>A vector on glTF axes mapped back to LPS (same unit); the inverse of <see cref="FromLps"/>.</summary>
    /// <param name="gltf">The glTF vector.</param>
    /// <returns><c>(X, −Z, Y)</c>.</returns>
    public static Vector3 ToLps(Vector3 gltf) => new(gltf.X, -gltf.Z, gltf.Y);
}
