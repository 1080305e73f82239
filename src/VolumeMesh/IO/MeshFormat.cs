namespace VolumeMesh.IO;

/// <summary>The mesh file formats <see cref="MeshFileWriter"/> writes and <see cref="MeshFileReader"/> reads, chosen by extension.</summary>
public enum MeshFormat
{
    /// <summary>STL (<c>.stl</c>), binary or ASCII: one mesh per file, millimetres, LPS or RAS.</summary>
    Stl,

    /// <summary>3MF (<c>.3mf</c>), 3MF Consortium core specification: named, coloured objects, <c>unit="millimeter"</c>, LPS.</summary>
    ThreeMf,

    /// <summary>Binary glTF 2.0 (<c>.glb</c>): one named node per part, metres, glTF axes (see <see cref="GltfWriter"/>).</summary>
    Glb,

    /// <summary>glTF 2.0 JSON (<c>.gltf</c>) with its buffer in a <c>.bin</c> file beside it; as <see cref="Glb"/> otherwise.</summary>
    Gltf,

    /// <summary>PLY (<c>.ply</c>), binary little-endian or ASCII: one mesh per file, millimetres, LPS or RAS.</summary>
    Ply,

    /// <summary>Wavefront OBJ (<c>.obj</c>), optionally with vertex normals: one mesh per file, millimetres, LPS or RAS.</summary>
    Obj,
}
