/*
 * volumemesh-c: a C program that hosts .NET through nethost/hostfxr and calls VolumeMesh through the
 * [UnmanagedCallersOnly] exports of VolumeMesh.Native (native-samples/VolumeMesh.Native).
 *
 * Usage: volumemesh-c <dir-with-VolumeMesh.Native.dll> <input.nrrd|dicom-folder> <out.stl> [low-hu high-hu]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <limits.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#include <nethost.h>
#include <hostfxr.h>
#include <coreclr_delegates.h>

typedef int (*vm_version_fn)(void);
typedef int (*vm_mesh_file_fn)(const char *input, const char *output, double low, double high,
                               long long *triangles, double *volume_mm3, char *error, int error_capacity);

static void *load_hostfxr(void)
{
    char path[PATH_MAX];
    size_t size = sizeof(path);
    if (get_hostfxr_path(path, &size, NULL) != 0) {
        fprintf(stderr, "volumemesh-c: hostfxr not found (is the .NET runtime installed?)\n");
        return NULL;
    }
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "volumemesh-c: cannot load %s: %s\n", path, dlerror());
    }
    return lib;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s <dir-with-VolumeMesh.Native.dll> <input> <out.stl> [low-hu high-hu]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    double low = argc > 4 ? atof(argv[4]) : 226.0;
    double high = argc > 5 ? atof(argv[5]) : 3071.0;

    void *lib = load_hostfxr();
    if (!lib) {
        return 1;
    }
    hostfxr_initialize_for_runtime_config_fn init =
        (hostfxr_initialize_for_runtime_config_fn)dlsym(lib, "hostfxr_initialize_for_runtime_config");
    hostfxr_get_runtime_delegate_fn get_delegate =
        (hostfxr_get_runtime_delegate_fn)dlsym(lib, "hostfxr_get_runtime_delegate");
    hostfxr_close_fn close_host = (hostfxr_close_fn)dlsym(lib, "hostfxr_close");
    if (!init || !get_delegate || !close_host) {
        fprintf(stderr, "volumemesh-c: hostfxr lacks the hosting API\n");
        return 1;
    }

    char config[PATH_MAX], assembly[PATH_MAX];
    snprintf(config, sizeof(config), "%s/VolumeMesh.Native.runtimeconfig.json", dir);
    snprintf(assembly, sizeof(assembly), "%s/VolumeMesh.Native.dll", dir);

    hostfxr_handle context = NULL;
    int rc = init(config, NULL, &context);
    if (rc != 0 || context == NULL) {
        fprintf(stderr, "volumemesh-c: cannot start the runtime from %s (0x%x)\n", config, rc);
        close_host(context);
        return 1;
    }
    load_assembly_and_get_function_pointer_fn load = NULL;
    rc = get_delegate(context, hdt_load_assembly_and_get_function_pointer, (void **)&load);
    close_host(context);
    if (rc != 0 || load == NULL) {
        fprintf(stderr, "volumemesh-c: no load_assembly delegate (0x%x)\n", rc);
        return 1;
    }

    vm_version_fn version = NULL;
    vm_mesh_file_fn mesh_file = NULL;
    rc = load(assembly, "VolumeMesh.Native.Exports, VolumeMesh.Native", "Version",
              UNMANAGEDCALLERSONLY_METHOD, NULL, (void **)&version);
    if (rc == 0) {
        rc = load(assembly, "VolumeMesh.Native.Exports, VolumeMesh.Native", "MeshFile",
                  UNMANAGEDCALLERSONLY_METHOD, NULL, (void **)&mesh_file);
    }
    if (rc != 0 || !version || !mesh_file) {
        fprintf(stderr, "volumemesh-c: cannot bind the exports of %s (0x%x)\n", assembly, rc);
        return 1;
    }

    printf("VolumeMesh.Native API version %d\n", version());
    long long triangles = 0;
    double volume = 0;
    char error[1024] = {0};
    rc = mesh_file(argv[2], argv[3], low, high, &triangles, &volume, error, (int)sizeof(error));
    if (rc != 0) {
        fprintf(stderr, "volumemesh-c: %s\n", error);
        return rc;
    }
    printf("wrote %s: %lld triangles, %.1f mm3\n", argv[3], triangles, volume);
    return 0;
}
