using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace VolumeMesh.Tests.Support;

/// <summary>A minimal P/Invoke reader over the 3MF Consortium's lib3mf 1.x C API (Debian <c>lib3mf1</c>,
/// <c>lib3MF.so.1</c>; declarations from its <c>NMR_DLLInterfaces.h</c>): an independent 3MF reader for tests.</summary>
internal static partial class Lib3mf
{
    private const string Library = "lib3MF.so.1";

    private static readonly Lazy<bool> s_available = new(() =>
    {
        try
        {
            return NativeLibrary.TryLoad(Library, out _) && lib3mf_getinterfaceversion(out uint major, out _, out _) == 0 && major > 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    });

    public static bool IsAvailable => s_available.Value;

    public sealed record Object3mf(string Name, Vector3[] Vertices, int[] Indices, PartColor3mf? Color);

    public readonly record struct PartColor3mf(byte R, byte G, byte B, byte A);

    public sealed record Model3mf(uint Unit, IReadOnlyList<Object3mf> Objects, IReadOnlyList<uint> BuildObjectIds, uint Warnings);

    /// <summary>Reads a 3MF file: unit (1 = millimetre), every mesh object with its base-material colour, the build items.</summary>
    public static Model3mf Read(string path)
    {
        Check(lib3mf_createmodel(out IntPtr model), IntPtr.Zero, "createmodel");
        try
        {
            Check(lib3mf_model_queryreader(model, "3mf", out IntPtr reader), model, "queryreader");
            uint warnings;
            try
            {
                Check(lib3mf_reader_readfromfileutf8(reader, path), reader, "readfromfile");
                Check(lib3mf_reader_getwarningcount(reader, out warnings), reader, "getwarningcount");
            }
            finally
            {
                lib3mf_release(reader);
            }

            Check(lib3mf_model_getunit(model, out uint unit), model, "getunit");
            var objects = new List<Object3mf>();
            Check(lib3mf_model_getmeshobjects(model, out IntPtr iterator), model, "getmeshobjects");
            try
            {
                while (lib3mf_resourceiterator_movenext(iterator, out int hasNext) == 0 && hasNext != 0)
                {
                    Check(lib3mf_resourceiterator_getcurrent(iterator, out IntPtr mesh), iterator, "getcurrent");
                    try
                    {
                        objects.Add(ReadObject(model, mesh));
                    }
                    finally
                    {
                        lib3mf_release(mesh);
                    }
                }
            }
            finally
            {
                lib3mf_release(iterator);
            }

            var build = new List<uint>();
            Check(lib3mf_model_getbuilditems(model, out IntPtr items), model, "getbuilditems");
            try
            {
                while (lib3mf_builditemiterator_movenext(items, out int hasNext) == 0 && hasNext != 0)
                {
                    Check(lib3mf_builditemiterator_getcurrent(items, out IntPtr item), items, "getcurrent");
                    Check(lib3mf_builditem_getobjectresourceid(item, out uint id), item, "getobjectresourceid");
                    build.Add(id);
                    lib3mf_release(item);
                }
            }
            finally
            {
                lib3mf_release(items);
            }

            return new Model3mf(unit, objects, build, warnings);
        }
        finally
        {
            lib3mf_release(model);
        }
    }

    private static Object3mf ReadObject(IntPtr model, IntPtr mesh)
    {
        Check(lib3mf_object_getnameutf8(mesh, null, 0, out uint needed), mesh, "getnameutf8");
        byte[] name = new byte[needed + 1];
        Check(lib3mf_object_getnameutf8(mesh, name, (uint)name.Length, out _), mesh, "getnameutf8");
        Check(lib3mf_meshobject_getvertexcount(mesh, out uint vertexCount), mesh, "getvertexcount");
        Check(lib3mf_meshobject_gettrianglecount(mesh, out uint triangleCount), mesh, "gettrianglecount");
        float[] vertices = new float[vertexCount * 3];
        uint[] triangles = new uint[triangleCount * 3];
        Check(lib3mf_meshobject_getvertices(mesh, vertices, vertexCount, out _), mesh, "getvertices");
        Check(lib3mf_meshobject_gettriangleindices(mesh, triangles, triangleCount, out _), mesh, "gettriangleindices");

        PartColor3mf? color = null;
        Check(lib3mf_object_createdefaultpropertyhandler(mesh, out IntPtr handler), mesh, "createdefaultpropertyhandler");
        try
        {
            Check(lib3mf_defaultpropertyhandler_getpropertytype(handler, out int type), handler, "getpropertytype");
            if (type == 1)
            {
                Check(lib3mf_defaultpropertyhandler_getbasematerial(handler, out uint group, out uint index), handler, "getbasematerial");
                Check(lib3mf_model_getbasematerialbyid(model, group, out IntPtr materials), model, "getbasematerialbyid");
                try
                {
                    Check(lib3mf_basematerial_getdisplaycolor(materials, index, out byte r, out byte g, out byte b, out byte a), materials, "getdisplaycolor");
                    color = new PartColor3mf(r, g, b, a);
                }
                finally
                {
                    lib3mf_release(materials);
                }
            }
        }
        finally
        {
            lib3mf_release(handler);
        }

        var positions = new Vector3[vertexCount];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = new Vector3(vertices[3 * i], vertices[(3 * i) + 1], vertices[(3 * i) + 2]);
        }

        return new Object3mf(Encoding.UTF8.GetString(name, 0, (int)needed).TrimEnd('\0'), positions, [.. triangles.Select(t => (int)t)], color);
    }

    private static void Check(uint result, IntPtr instance, string call)
    {
        if (result == 0)
        {
            return;
        }

        string message = "(no message)";
        if (instance != IntPtr.Zero && lib3mf_getlasterror(instance, out uint code, out IntPtr text) == 0 && text != IntPtr.Zero)
        {
            message = $"{code:X}: {Marshal.PtrToStringUTF8(text)}";
        }

        throw new InvalidOperationException($"lib3mf_{call} failed with 0x{result:X8} {message}");
    }

    [LibraryImport(Library)]
    private static partial uint lib3mf_getinterfaceversion(out uint major, out uint minor, out uint micro);

    [LibraryImport(Library)]
    private static partial uint lib3mf_createmodel(out IntPtr model);

    [LibraryImport(Library)]
    private static partial uint lib3mf_release(IntPtr instance);

    [LibraryImport(Library)]
    private static partial uint lib3mf_getlasterror(IntPtr instance, out uint code, out IntPtr message);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint lib3mf_model_queryreader(IntPtr model, string readerClass, out IntPtr reader);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint lib3mf_reader_readfromfileutf8(IntPtr reader, string path);

    [LibraryImport(Library)]
    private static partial uint lib3mf_reader_getwarningcount(IntPtr reader, out uint count);

    [LibraryImport(Library)]
    private static partial uint lib3mf_model_getunit(IntPtr model, out uint unit);

    [LibraryImport(Library)]
    private static partial uint lib3mf_model_getmeshobjects(IntPtr model, out IntPtr iterator);

    [LibraryImport(Library)]
    private static partial uint lib3mf_model_getbuilditems(IntPtr model, out IntPtr iterator);

    [LibraryImport(Library)]
    private static partial uint lib3mf_model_getbasematerialbyid(IntPtr model, uint id, out IntPtr materials);

    [LibraryImport(Library)]
    private static partial uint lib3mf_resourceiterator_movenext(IntPtr iterator, out int hasNext);

    [LibraryImport(Library)]
    private static partial uint lib3mf_resourceiterator_getcurrent(IntPtr iterator, out IntPtr resource);

    [LibraryImport(Library)]
    private static partial uint lib3mf_builditemiterator_movenext(IntPtr iterator, out int hasNext);

    [LibraryImport(Library)]
    private static partial uint lib3mf_builditemiterator_getcurrent(IntPtr iterator, out IntPtr item);

    [LibraryImport(Library)]
    private static partial uint lib3mf_builditem_getobjectresourceid(IntPtr item, out uint id);

    [LibraryImport(Library)]
    private static partial uint lib3mf_object_getnameutf8(IntPtr obj, byte[]? buffer, uint bufferSize, out uint needed);

    [LibraryImport(Library)]
    private static partial uint lib3mf_object_createdefaultpropertyhandler(IntPtr obj, out IntPtr handler);

    [LibraryImport(Library)]
    private static partial uint lib3mf_defaultpropertyhandler_getpropertytype(IntPtr handler, out int type);

    [LibraryImport(Library)]
    private static partial uint lib3mf_defaultpropertyhandler_getbasematerial(IntPtr handler, out uint group, out uint index);

    [LibraryImport(Library)]
    private static partial uint lib3mf_basematerial_getdisplaycolor(IntPtr materials, uint index, out byte r, out byte g, out byte b, out byte a);

    [LibraryImport(Library)]
    private static partial uint lib3mf_meshobject_getvertexcount(IntPtr mesh, out uint count);

    [LibraryImport(Library)]
    private static partial uint lib3mf_meshobject_gettrianglecount(IntPtr mesh, out uint count);

    [LibraryImport(Library)]
    private static partial uint lib3mf_meshobject_getvertices(IntPtr mesh, [Out] float[] vertices, uint bufferSize, out uint count);

    [LibraryImport(Library)]
    private static partial uint lib3mf_meshobject_gettriangleindices(IntPtr mesh, [Out] uint[] indices, uint bufferSize, out uint count);
}
