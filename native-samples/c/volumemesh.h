/*
 * volumemesh.h: the C view of VolumeMesh's native API, the [UnmanagedCallersOnly] exports of
 * native-samples/VolumeMesh.Native (Exports.cs), bound through hostfxr. Strings are UTF-8 and NUL-terminated; every
 * call returns a code (the volumemesh CLI's exit-code numbers) and, on failure, a message the caller frees.
 */
#ifndef VOLUMEMESH_H
#define VOLUMEMESH_H

#include <stdint.h>

#define VM_API_VERSION 2

/* Return codes (VolumeMesh.Native.NativeErrors). */
enum {
    VM_OK = 0,
    VM_INTERNAL = 1,        /* a failure no input explains (a bug); the message names the exception type */
    VM_USAGE = 2,           /* bad arguments: null pointer, malformed options JSON, unknown option, bad size */
    VM_BAD_INPUT = 3,       /* input missing, unreadable or unsupported */
    VM_NOTHING_TO_MESH = 4, /* no voxel inside */
    VM_OUTPUT_FAILED = 5,   /* output not writable */
    VM_CANCELLED = 130
};

/* A volume held by the caller: voxels contiguous, x fastest, then y, then z; patient LPS millimetres. */
typedef struct {
    const void *voxels;
    int32_t voxel_type;      /* 0: int16 (HU), 1: float32 */
    int32_t size_x, size_y, size_z;
    double spacing_mm[3];    /* along i, j, k */
    double origin_lps[3];    /* position of voxel (0, 0, 0) */
    double direction[9];     /* unit cosines of i, then j, then k */
    int32_t mode;            /* 0: inside is value >= iso; 1: low <= value <= high */
    double iso, low, high;
} vm_volume;

/* A mesh returned by vm_mesh_volume; release it with vm_free_mesh. Triangles are counter-clockwise from outside. */
typedef struct {
    float *positions;        /* 3 * vertex_count */
    int32_t *indices;        /* 3 * triangle_count */
    int32_t vertex_count;
    int32_t triangle_count;
} vm_mesh;

typedef int (*vm_version_fn)(void);
/* Meshes a DICOM folder or NRRD file to `output` (format from its extension) with options as JSON (or NULL). */
typedef int (*vm_mesh_file_fn)(const char *input, const char *output, const char *options_json,
                               char **report_json, char **error);
/* Meshes an in-memory volume; `options_json` may add keep, fillHoles, smooth, decimate, device (not the range). */
typedef int (*vm_mesh_volume_fn)(const vm_volume *volume, const char *options_json, vm_mesh *mesh,
                                 char **report_json, char **error);
typedef void (*vm_free_mesh_fn)(vm_mesh *mesh);
typedef void (*vm_free_string_fn)(char *text);

#endif
