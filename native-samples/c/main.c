/*
 * volumemesh-c: a C program that hosts .NET through nethost/hostfxr and calls VolumeMesh through the
 * [UnmanagedCallersOnly] exports of VolumeMesh.Native (native-samples/VolumeMesh.Native), then checks what comes back:
 * every edge of the mesh is used by exactly two triangles, once in each direction (closed and consistently oriented).
 *
 *   volumemesh-c <native-dir> file <dicom-folder|volume.nrrd> <out.stl|.3mf|.glb|...> [options-json]
 *       (a) meshes a file to a file; prints the report JSON; for an STL output, reads it back and checks the edges
 *   volumemesh-c <native-dir> sphere <size> <radius-mm> [sphere.nrrd]
 *       (b) meshes a sphere this program holds in memory (int16, anisotropic spacing, rotated axes, iso 0) and checks
 *       the returned buffers; with a path, also writes the same volume as NRRD so others can mesh the same input
 *   volumemesh-c <native-dir> bad-volume
 *       passes a volume with a zero dimension: the call must fail with VM_USAGE and a message, not crash
 *
 * <native-dir> holds VolumeMesh.Native.dll and its runtimeconfig.json (dotnet build native-samples/VolumeMesh.Native).
 * Prints "key value" lines (triangles, vertices, closed, ...); the exit code is the API's code (0 ok), or 10 when a
 * returned mesh fails the check, or 1 when .NET cannot be started.
 */
#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <coreclr_delegates.h>
#include <hostfxr.h>
#include <nethost.h>

#include "volumemesh.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define CHECK_FAILED 10
#define EXPORTS_TYPE "VolumeMesh.Native.Exports, VolumeMesh.Native"

typedef struct {
    vm_version_fn version;
    vm_mesh_file_fn mesh_file;
    vm_mesh_volume_fn mesh_volume;
    vm_free_mesh_fn free_mesh;
    vm_free_string_fn free_string;
} vm_api;

/* ---- hosting ---------------------------------------------------------------------------------------------------- */

static int bind_export(load_assembly_and_get_function_pointer_fn load, const char *assembly, const char *method, void **target)
{
    int rc = load(assembly, EXPORTS_TYPE, method, UNMANAGEDCALLERSONLY_METHOD, NULL, target);
    if (rc != 0 || *target == NULL) {
        fprintf(stderr, "volumemesh-c: cannot bind %s from %s (0x%x)\n", method, assembly, (unsigned)rc);
        return 0;
    }
    return 1;
}

static int start_dotnet(const char *dir, vm_api *api)
{
    char hostfxr_path[PATH_MAX];
    size_t size = sizeof(hostfxr_path);
    if (get_hostfxr_path(hostfxr_path, &size, NULL) != 0) {
        fprintf(stderr, "volumemesh-c: hostfxr not found (is the .NET runtime installed? DOTNET_ROOT?)\n");
        return 0;
    }
    void *lib = dlopen(hostfxr_path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "volumemesh-c: cannot load %s: %s\n", hostfxr_path, dlerror());
        return 0;
    }
    hostfxr_initialize_for_runtime_config_fn init =
        (hostfxr_initialize_for_runtime_config_fn)dlsym(lib, "hostfxr_initialize_for_runtime_config");
    hostfxr_get_runtime_delegate_fn get_delegate =
        (hostfxr_get_runtime_delegate_fn)dlsym(lib, "hostfxr_get_runtime_delegate");
    hostfxr_close_fn close_host = (hostfxr_close_fn)dlsym(lib, "hostfxr_close");
    if (!init || !get_delegate || !close_host) {
        fprintf(stderr, "volumemesh-c: %s lacks the hosting API\n", hostfxr_path);
        return 0;
    }

    char config[PATH_MAX], assembly[PATH_MAX];
    snprintf(config, sizeof(config), "%s/VolumeMesh.Native.runtimeconfig.json", dir);
    snprintf(assembly, sizeof(assembly), "%s/VolumeMesh.Native.dll", dir);
    hostfxr_handle context = NULL;
    int rc = init(config, NULL, &context);
    if (rc != 0 || context == NULL) {
        fprintf(stderr, "volumemesh-c: cannot start the runtime from %s (0x%x)\n", config, (unsigned)rc);
        if (context) {
            close_host(context);
        }
        return 0;
    }
    load_assembly_and_get_function_pointer_fn load = NULL;
    rc = get_delegate(context, hdt_load_assembly_and_get_function_pointer, (void **)&load);
    close_host(context);
    if (rc != 0 || load == NULL) {
        fprintf(stderr, "volumemesh-c: no load_assembly delegate (0x%x)\n", (unsigned)rc);
        return 0;
    }
    return bind_export(load, assembly, "Version", (void **)&api->version)
        && bind_export(load, assembly, "MeshFile", (void **)&api->mesh_file)
        && bind_export(load, assembly, "MeshVolume", (void **)&api->mesh_volume)
        && bind_export(load, assembly, "FreeMesh", (void **)&api->free_mesh)
        && bind_export(load, assembly, "FreeString", (void **)&api->free_string);
}

/* ---- the mesh check: every undirected edge used exactly twice, once in each direction ------------------------- */

typedef struct {
    int32_t lo, hi;
    int32_t forward; /* 1 when the triangle walks lo -> hi */
} edge_use;

static int compare_edges(const void *a, const void *b)
{
    const edge_use *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi) return x->hi < y->hi ? -1 : 1;
    return x->forward - y->forward;
}

/* Returns 1 when closed and consistently oriented; else 0 with the reason in `why`. */
static int check_edges(const int32_t *indices, int32_t triangles, int32_t vertices, char *why, size_t why_size)
{
    if (triangles <= 0) {
        snprintf(why, why_size, "no triangles");
        return 0;
    }
    size_t n = (size_t)triangles * 3;
    edge_use *edges = malloc(n * sizeof(edge_use));
    if (!edges) {
        snprintf(why, why_size, "out of memory");
        return 0;
    }
    int ok = 1;
    for (size_t t = 0; t < (size_t)triangles && ok; t++) {
        for (int c = 0; c < 3; c++) {
            int32_t a = indices[3 * t + c], b = indices[3 * t + (c + 1) % 3];
            if (a < 0 || a >= vertices || b < 0 || b >= vertices || a == b) {
                snprintf(why, why_size, "triangle %zu has a bad or repeated index (%d, %d)", t, a, b);
                ok = 0;
                break;
            }
            edges[3 * t + c] = (edge_use){ a < b ? a : b, a < b ? b : a, a < b };
        }
    }
    if (ok) {
        qsort(edges, n, sizeof(edge_use), compare_edges);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && edges[j].lo == edges[i].lo && edges[j].hi == edges[i].hi) {
                j++;
            }
            if (j - i != 2 || edges[i].forward == edges[i + 1].forward) {
                snprintf(why, why_size, "edge (%d, %d) has %zu uses%s", edges[i].lo, edges[i].hi, j - i,
                         j - i == 2 ? " in the same direction" : "");
                ok = 0;
                break;
            }
            i = j;
        }
    }
    free(edges);
    return ok;
}

/* ---- reading a binary STL back, welding equal positions --------------------------------------------------------- */

typedef struct {
    float p[3];
    int32_t corner;
} corner_position;

static int compare_positions(const void *a, const void *b)
{
    const corner_position *x = a, *y = b;
    for (int i = 0; i < 3; i++) {
        if (x->p[i] != y->p[i]) return x->p[i] < y->p[i] ? -1 : 1;
    }
    return 0;
}

static int check_stl(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char header[84];
    if (!f || fread(header, 1, 84, f) != 84) {
        fprintf(stderr, "volumemesh-c: cannot read %s\n", path);
        if (f) fclose(f);
        return CHECK_FAILED;
    }
    uint32_t triangles;
    memcpy(&triangles, header + 80, 4);
    corner_position *corners = malloc((size_t)triangles * 3 * sizeof(corner_position));
    int32_t *indices = malloc((size_t)triangles * 3 * sizeof(int32_t));
    int rc = CHECK_FAILED;
    if (corners && indices) {
        unsigned char record[50];
        uint32_t t = 0;
        for (; t < triangles && fread(record, 1, 50, f) == 50; t++) {
            for (int c = 0; c < 3; c++) {
                memcpy(corners[3 * t + c].p, record + 12 + 12 * c, 12);
                corners[3 * t + c].corner = (int32_t)(3 * t + c);
            }
        }
        if (t == triangles) {
            qsort(corners, (size_t)triangles * 3, sizeof(corner_position), compare_positions);
            int32_t vertices = 0;
            for (size_t i = 0; i < (size_t)triangles * 3; i++) {
                if (i > 0 && compare_positions(&corners[i], &corners[i - 1]) != 0) vertices++;
                indices[corners[i].corner] = vertices;
            }
            vertices++;
            char why[256] = "";
            int closed = check_edges(indices, (int32_t)triangles, vertices, why, sizeof(why));
            printf("stl_triangles %u\nstl_vertices %d\nclosed %s\n", triangles, vertices, closed ? "yes" : "no");
            if (!closed) fprintf(stderr, "volumemesh-c: %s is not closed: %s\n", path, why);
            rc = closed ? VM_OK : CHECK_FAILED;
        } else {
            fprintf(stderr, "volumemesh-c: %s is cut off after %u of %u triangles\n", path, t, triangles);
        }
    }
    free(corners);
    free(indices);
    fclose(f);
    return rc;
}

/* ---- the modes -------------------------------------------------------------------------------------------------- */

static int report_error(const vm_api *api, int rc, char *error)
{
    fprintf(stderr, "volumemesh-c: error %d: %s\n", rc, error ? error : "(no message)");
    printf("error_code %d\n", rc);
    api->free_string(error);
    return rc;
}

static int mesh_file(const vm_api *api, const char *input, const char *output, const char *options)
{
    char *report = NULL, *error = NULL;
    int rc = api->mesh_file(input, output, options, &report, &error);
    if (rc != VM_OK) {
        return report_error(api, rc, error);
    }
    printf("report:\n%s\n", report);
    api->free_string(report);
    size_t length = strlen(output);
    if (length > 4 && strcmp(output + length - 4, ".stl") == 0) {
        return check_stl(output);
    }
    return VM_OK;
}

static int write_nrrd(const char *path, const vm_volume *v)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "volumemesh-c: cannot write %s\n", path);
        return 0;
    }
    fprintf(f, "NRRD0004\ntype: int16\ndimension: 3\nspace: left-posterior-superior\nsizes: %d %d %d\n",
            v->size_x, v->size_y, v->size_z);
    fprintf(f, "space directions:");
    for (int axis = 0; axis < 3; axis++) {
        fprintf(f, " (%.17g,%.17g,%.17g)", v->direction[3 * axis] * v->spacing_mm[axis],
                v->direction[3 * axis + 1] * v->spacing_mm[axis], v->direction[3 * axis + 2] * v->spacing_mm[axis]);
    }
    fprintf(f, "\nkinds: domain domain domain\nendian: little\nencoding: raw\nspace origin: (%.17g,%.17g,%.17g)\n\n",
            v->origin_lps[0], v->origin_lps[1], v->origin_lps[2]);
    size_t count = (size_t)v->size_x * v->size_y * v->size_z;
    int ok = fwrite(v->voxels, sizeof(int16_t), count, f) == count;
    return fclose(f) == 0 && ok;
}

static int mesh_sphere(const vm_api *api, int n, double radius, const char *nrrd)
{
    const double pi = 3.14159265358979323846, angle = pi / 6; /* axes turned 30 degrees about S */
    vm_volume v = { 0 };
    v.voxel_type = 0;
    v.size_x = v.size_y = v.size_z = n;
    v.spacing_mm[0] = 0.9; v.spacing_mm[1] = 0.8; v.spacing_mm[2] = 1.1;
    double direction[9] = { cos(angle), sin(angle), 0, -sin(angle), cos(angle), 0, 0, 0, 1 };
    memcpy(v.direction, direction, sizeof(direction));
    v.origin_lps[0] = -20; v.origin_lps[1] = 35; v.origin_lps[2] = 100;
    v.mode = 0;
    v.iso = 0;

    /* Value: 100 per mm inside the surface, so iso 0 is a sphere of `radius` mm about the volume's centre voxel. */
    int16_t *voxels = malloc((size_t)n * n * n * sizeof(int16_t));
    if (!voxels) return VM_INTERNAL;
    double c = (n - 1) / 2.0;
    for (int k = 0; k < n; k++) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double dx = (i - c) * v.spacing_mm[0], dy = (j - c) * v.spacing_mm[1], dz = (k - c) * v.spacing_mm[2];
                double value = 100 * (radius - sqrt(dx * dx + dy * dy + dz * dz));
                value = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
                voxels[((size_t)k * n + j) * n + i] = (int16_t)lround(value);
            }
        }
    }
    v.voxels = voxels;
    if (nrrd && !write_nrrd(nrrd, &v)) {
        free(voxels);
        return CHECK_FAILED;
    }

    vm_mesh mesh = { 0 };
    char *report = NULL, *error = NULL;
    int rc = api->mesh_volume(&v, "{\"device\":\"cpu\"}", &mesh, &report, &error);
    free(voxels); /* the library copied what it needed */
    if (rc != VM_OK) {
        return report_error(api, rc, error);
    }
    api->free_string(report);

    /* The centre in patient mm: origin + c * (spacing_i * dir_i + spacing_j * dir_j + spacing_k * dir_k). */
    double centre[3];
    for (int a = 0; a < 3; a++) {
        centre[a] = v.origin_lps[a];
        for (int axis = 0; axis < 3; axis++) centre[a] += c * v.spacing_mm[axis] * v.direction[3 * axis + a];
    }
    double worst = 0, volume = 0;
    for (int32_t i = 0; i < mesh.vertex_count; i++) {
        double d[3];
        for (int a = 0; a < 3; a++) d[a] = mesh.positions[3 * i + a] - centre[a];
        double off = fabs(sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) - radius);
        worst = off > worst ? off : worst;
    }
    for (int32_t t = 0; t < mesh.triangle_count; t++) {
        const float *p = mesh.positions + 3 * mesh.indices[3 * t], *q = mesh.positions + 3 * mesh.indices[3 * t + 1],
                    *r = mesh.positions + 3 * mesh.indices[3 * t + 2];
        volume += (p[0] * ((double)q[1] * r[2] - (double)q[2] * r[1]) - p[1] * ((double)q[0] * r[2] - (double)q[2] * r[0])
                   + p[2] * ((double)q[0] * r[1] - (double)q[1] * r[0])) / 6;
    }
    char why[256] = "";
    int closed = check_edges(mesh.indices, mesh.triangle_count, mesh.vertex_count, why, sizeof(why));
    double expected = 4.0 / 3.0 * pi * radius * radius * radius;
    printf("triangles %d\nvertices %d\nclosed %s\nmax_radius_error_mm %.4f\nvolume_mm3 %.1f\nexpected_volume_mm3 %.1f\n",
           mesh.triangle_count, mesh.vertex_count, closed ? "yes" : "no", worst, volume, expected);
    if (!closed) fprintf(stderr, "volumemesh-c: the sphere's mesh is not closed: %s\n", why);
    api->free_mesh(&mesh);
    if (mesh.positions != NULL || mesh.indices != NULL) {
        fprintf(stderr, "volumemesh-c: vm_free_mesh left the buffers set\n");
        return CHECK_FAILED;
    }
    /* Vertices lie on the sphere within a voxel; the volume is the sphere's within 2 %. */
    int good = closed && worst < 1.1 && fabs(volume - expected) < 0.02 * expected;
    return good ? VM_OK : CHECK_FAILED;
}

static int mesh_bad_volume(const vm_api *api)
{
    int16_t voxel = 0;
    vm_volume v = { 0 };
    v.voxels = &voxel;
    v.size_x = 1; v.size_y = 0; v.size_z = 1;
    v.spacing_mm[0] = v.spacing_mm[1] = v.spacing_mm[2] = 1;
    v.direction[0] = v.direction[4] = v.direction[8] = 1;
    vm_mesh mesh = { 0 };
    char *error = NULL;
    int rc = api->mesh_volume(&v, NULL, &mesh, NULL, &error);
    if (rc == VM_OK) {
        fprintf(stderr, "volumemesh-c: a 1x0x1 volume was accepted\n");
        api->free_mesh(&mesh);
        return CHECK_FAILED;
    }
    return report_error(api, rc, error);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: %s <native-dir> file <input> <output> [options-json]\n"
                "       %s <native-dir> sphere <size> <radius-mm> [sphere.nrrd]\n"
                "       %s <native-dir> bad-volume\n", argv[0], argv[0], argv[0]);
        return VM_USAGE;
    }
    vm_api api = { 0 };
    if (!start_dotnet(argv[1], &api)) {
        return 1;
    }
    int version = api.version();
    printf("api %d\n", version);
    if (version != VM_API_VERSION) {
        fprintf(stderr, "volumemesh-c: VolumeMesh.Native has API %d, this program speaks %d\n", version, VM_API_VERSION);
        return 1;
    }
    const char *mode = argv[2];
    if (strcmp(mode, "file") == 0 && argc >= 5) {
        return mesh_file(&api, argv[3], argv[4], argc > 5 ? argv[5] : NULL);
    }
    if (strcmp(mode, "sphere") == 0 && argc >= 5) {
        return mesh_sphere(&api, atoi(argv[3]), atof(argv[4]), argc > 5 ? argv[5] : NULL);
    }
    if (strcmp(mode, "bad-volume") == 0) {
        return mesh_bad_volume(&api);
    }
    fprintf(stderr, "volumemesh-c: unknown mode or missing arguments: %s\n", mode);
    return VM_USAGE;
}
