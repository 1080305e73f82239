/*
 * Peer harness: meshoptimizer's meshopt_simplify (Debian libmeshoptimizer-dev) on a binary STL, timed the way our
 * decimation is timed (the simplification call only, median of several runs after a warm-up), written back as STL so
 * the same independent checks (closed, manifold, shells, Hausdorff) apply to both.
 *
 *   cc -O2 -o meshopt_simplify meshopt_simplify.c -lmeshoptimizer
 *   ./meshopt_simplify IN.stl --reduction 0.9 [--lock-border] [--repeat 5] [--out OUT.stl]
 *
 * Prints one JSON line: seconds (median), triangles in and out, the simplifier's own relative error.
 * STL has no shared vertices: corners are welded on exact coordinates first (meshopt_generateVertexRemap), which is
 * what our writer's meshes need to be read back as the indexed mesh they were.
 */
#include <meshoptimizer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare_double(const void* a, const void* b)
{
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

static void fail(const char* message, const char* detail)
{
    fprintf(stderr, "meshopt_simplify: %s%s%s\n", message, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

/* Reads a binary STL into an unindexed corner array (3 floats per corner). */
static float* read_stl(const char* path, size_t* triangle_count)
{
    FILE* f = fopen(path, "rb");
    if (!f)
        fail("cannot open", path);
    unsigned char header[84];
    if (fread(header, 1, 84, f) != 84)
        fail("not a binary STL (short header)", path);
    uint32_t count;
    memcpy(&count, header + 80, 4);
    float* corners = malloc((size_t)count * 9 * sizeof(float));
    if (!corners)
        fail("out of memory", path);
    unsigned char record[50];
    for (uint32_t t = 0; t < count; t++)
    {
        if (fread(record, 1, 50, f) != 50)
            fail("truncated binary STL", path);
        memcpy(corners + (size_t)t * 9, record + 12, 36);
    }
    fclose(f);
    *triangle_count = count;
    return corners;
}

static void write_stl(const char* path, const float* positions, const unsigned int* indices, size_t index_count)
{
    FILE* f = fopen(path, "wb");
    if (!f)
        fail("cannot write", path);
    unsigned char header[84] = { 0 };
    const char* text = "meshopt_simplify peer output. SPACE=LPS";
    memcpy(header, text, strlen(text));
    uint32_t count = (uint32_t)(index_count / 3);
    memcpy(header + 80, &count, 4);
    fwrite(header, 1, 84, f);
    unsigned char record[50];
    for (size_t t = 0; t < count; t++)
    {
        memset(record, 0, sizeof record);
        for (int c = 0; c < 3; c++)
            memcpy(record + 12 + 12 * c, positions + 3 * (size_t)indices[3 * t + c], 12);
        fwrite(record, 1, 50, f);
    }
    fclose(f);
}

int main(int argc, char** argv)
{
    const char* input = NULL;
    const char* output = NULL;
    double reduction = 0.9;
    int repeat = 5;
    unsigned int options = 0;
    for (int i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--reduction") && i + 1 < argc)
            reduction = atof(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            output = argv[++i];
        else if (!strcmp(argv[i], "--lock-border"))
            options |= meshopt_SimplifyLockBorder;
        else if (argv[i][0] != '-' && !input)
            input = argv[i];
        else
            fail("usage: IN.stl --reduction R [--lock-border] [--repeat N] [--out OUT.stl]", argv[i]);
    }
    if (!input || !(reduction >= 0 && reduction < 1) || repeat < 1)
        fail("usage: IN.stl --reduction R [--lock-border] [--repeat N] [--out OUT.stl]", NULL);

    size_t triangles;
    float* corners = read_stl(input, &triangles);
    size_t corner_count = triangles * 3;
    unsigned int* remap = malloc(corner_count * sizeof(unsigned int));
    size_t vertex_count = meshopt_generateVertexRemap(remap, NULL, corner_count, corners, corner_count, 12);
    float* positions = malloc(vertex_count * 12);
    unsigned int* indices = malloc(corner_count * sizeof(unsigned int));
    meshopt_remapVertexBuffer(positions, corners, corner_count, 12, remap);
    meshopt_remapIndexBuffer(indices, NULL, corner_count, remap);
    free(corners);
    free(remap);

    /* Our --decimate R keeps round((1 - R) * triangles); ask meshoptimizer for the same count and no error limit. */
    size_t target_triangles = (size_t)((1.0 - reduction) * (double)triangles + 0.5);
    unsigned int* result = malloc(corner_count * sizeof(unsigned int));
    double* seconds = malloc((size_t)(repeat + 1) * sizeof(double));
    size_t result_count = 0;
    float result_error = 0;
    for (int run = 0; run <= repeat; run++) /* run 0 is the warm-up */
    {
        double start = now_seconds();
        result_count = meshopt_simplify(result, indices, corner_count, positions, vertex_count, 12, target_triangles * 3, 1e30f, options, &result_error);
        seconds[run] = now_seconds() - start;
    }
    qsort(seconds + 1, (size_t)repeat, sizeof(double), compare_double);
    if (output)
        write_stl(output, positions, result, result_count);
    printf("{\"peer\": \"meshopt_simplify %d.%d\", \"lock_border\": %s, \"seconds\": %.4f, \"runs\": %d, \"triangles_in\": %zu, \"vertices_in\": %zu, \"triangles_out\": %zu, \"target\": %zu, \"relative_error\": %.6g}\n",
        MESHOPTIMIZER_VERSION / 1000, (MESHOPTIMIZER_VERSION % 1000) / 10, options ? "true" : "false", seconds[1 + repeat / 2], repeat,
        triangles, vertex_count, result_count / 3, target_triangles, (double)result_error);
    free(positions);
    free(indices);
    free(result);
    free(seconds);
    return 0;
}
