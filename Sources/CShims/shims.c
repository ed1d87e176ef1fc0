#include "CShims.h"

json_type CShims_json_typeof(const json_t *json) { return json_typeof(json); }

int CShims_json_error_code(const json_error_t *error) { return (int)json_error_code(error); }

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The few libcurl entry points and constants used, declared here so nothing links against libcurl. */
typedef void CURL;
typedef int (*curl_easy_setopt_fn)(CURL *, int, ...);
typedef int (*curl_easy_perform_fn)(CURL *);
typedef int (*curl_easy_getinfo_fn)(CURL *, int, ...);
typedef CURL *(*curl_easy_init_fn)(void);
typedef void (*curl_easy_cleanup_fn)(CURL *);
typedef const char *(*curl_easy_strerror_fn)(int);
enum { OPT_URL = 10002, OPT_WRITEFUNCTION = 20011, OPT_WRITEDATA = 10001, OPT_FOLLOWLOCATION = 52, OPT_TIMEOUT = 13,
       OPT_NOSIGNAL = 99, OPT_USERAGENT = 10018, INFO_RESPONSE_CODE = 0x200002 };

struct buffer { char *data; size_t length; size_t limit; int overflow; };

static size_t collect(char *chunk, size_t size, size_t count, void *context) {
    struct buffer *b = context;
    size_t n = size * count;
    if (b->length + n > b->limit) { b->overflow = 1; return 0; }
    char *grown = realloc(b->data, b->length + n + 1);
    if (!grown) return 0;
    b->data = grown;
    memcpy(b->data + b->length, chunk, n);
    b->length += n;
    b->data[b->length] = 0;
    return n;
}

int CShims_http_get(const char *url, long timeout_seconds, char **body, size_t *length, long *status,
                    char *error, size_t error_size) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) { snprintf(error, error_size, "libcurl is not available (%s)", dlerror()); return -1; }
    curl_easy_init_fn init = (curl_easy_init_fn)dlsym(lib, "curl_easy_init");
    curl_easy_setopt_fn setopt = (curl_easy_setopt_fn)dlsym(lib, "curl_easy_setopt");
    curl_easy_perform_fn perform = (curl_easy_perform_fn)dlsym(lib, "curl_easy_perform");
    curl_easy_getinfo_fn getinfo = (curl_easy_getinfo_fn)dlsym(lib, "curl_easy_getinfo");
    curl_easy_cleanup_fn cleanup = (curl_easy_cleanup_fn)dlsym(lib, "curl_easy_cleanup");
    curl_easy_strerror_fn strerror_ = (curl_easy_strerror_fn)dlsym(lib, "curl_easy_strerror");
    if (!init || !setopt || !perform || !getinfo || !cleanup || !strerror_) { snprintf(error, error_size, "libcurl lacks curl_easy_*"); return -1; }
    CURL *curl = init();
    if (!curl) { snprintf(error, error_size, "curl_easy_init failed"); return -1; }
    struct buffer b = { NULL, 0, 64u << 20, 0 };
    setopt(curl, OPT_URL, url);
    setopt(curl, OPT_WRITEFUNCTION, collect);
    setopt(curl, OPT_WRITEDATA, &b);
    setopt(curl, OPT_FOLLOWLOCATION, 1L);
    setopt(curl, OPT_TIMEOUT, timeout_seconds);
    setopt(curl, OPT_NOSIGNAL, 1L);
    setopt(curl, OPT_USERAGENT, "schemactl");
    int code = perform(curl);
    if (code != 0) {
        snprintf(error, error_size, "%s", b.overflow ? "response larger than 64 MiB" : strerror_(code));
        free(b.data);
        cleanup(curl);
        return -1;
    }
    getinfo(curl, INFO_RESPONSE_CODE, status);
    cleanup(curl);
    *body = b.data;
    *length = b.length;
    return 0;
}
