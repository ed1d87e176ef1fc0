#include "CCurlLoader.h"
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    CURL *(*init)(void);
    void (*cleanup)(CURL *);
    void (*reset)(CURL *);
    CURLcode (*setopt)(CURL *, CURLoption, ...);
    CURLcode (*perform)(CURL *);
    CURLcode (*getinfo)(CURL *, CURLINFO, ...);
    const char *(*strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLcode (*global_init)(long);
    char error[256];
    int loaded;
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) { snprintf(api.error, sizeof api.error, "libcurl is not available (%s)", dlerror()); return; }
#define LOAD(field, name) api.field = (__typeof__(api.field))dlsym(lib, name); \
    if (!api.field) { snprintf(api.error, sizeof api.error, "libcurl lacks %s", name); return; }
    LOAD(init, "curl_easy_init")
    LOAD(cleanup, "curl_easy_cleanup")
    LOAD(reset, "curl_easy_reset")
    LOAD(setopt, "curl_easy_setopt")
    LOAD(perform, "curl_easy_perform")
    LOAD(getinfo, "curl_easy_getinfo")
    LOAD(strerror, "curl_easy_strerror")
    LOAD(slist_append, "curl_slist_append")
    LOAD(slist_free_all, "curl_slist_free_all")
    LOAD(global_init, "curl_global_init")
#undef LOAD
    api.global_init(CURL_GLOBAL_DEFAULT);
    api.loaded = 1;
}

struct schemactl_http { CURL *curl; };

schemactl_http *schemactl_http_open(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (!api.loaded) { snprintf(error, error_size, "%s", api.error); return NULL; }
    CURL *curl = api.init();
    if (!curl) { snprintf(error, error_size, "curl_easy_init failed"); return NULL; }
    schemactl_http *http = malloc(sizeof *http);
    if (!http) { api.cleanup(curl); snprintf(error, error_size, "out of memory"); return NULL; }
    http->curl = curl;
    return http;
}

void schemactl_http_close(schemactl_http *http) {
    if (!http) return;
    api.cleanup(http->curl);
    free(http);
}

struct buffer { unsigned char *data; size_t length; size_t limit; int overflow; };

static size_t collect(char *chunk, size_t size, size_t count, void *context) {
    struct buffer *b = context;
    size_t n = size * count;
    if (b->length + n > b->limit) { b->overflow = 1; return 0; }
    unsigned char *grown = realloc(b->data, b->length + n + 1);
    if (!grown) return 0;
    b->data = grown;
    memcpy(b->data + b->length, chunk, n);
    b->length += n;
    b->data[b->length] = 0;
    return n;
}

int schemactl_http_perform(schemactl_http *http, const schemactl_http_request *r, long *status,
                           unsigned char **body, size_t *length, char *error, size_t error_size) {
    CURL *curl = http->curl;
    api.reset(curl); // options from the previous request go; the connection cache stays
    struct buffer b = { NULL, 0, r->max_response_bytes ? r->max_response_bytes : (64u << 20), 0 };
    struct curl_slist *headers = NULL;
    for (size_t i = 0; i < r->header_count; i++) headers = api.slist_append(headers, r->headers[i]);
    headers = api.slist_append(headers, "Expect:"); // no 100-continue round trip
    api.setopt(curl, CURLOPT_URL, r->url);
    api.setopt(curl, CURLOPT_CUSTOMREQUEST, r->method);
    if (strcmp(r->method, "GET") == 0) api.setopt(curl, CURLOPT_HTTPGET, 1L);
    if (r->body) {
        api.setopt(curl, CURLOPT_POSTFIELDS, (const char *)r->body);
        api.setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_length);
    }
    api.setopt(curl, CURLOPT_HTTPHEADER, headers);
    api.setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    api.setopt(curl, CURLOPT_WRITEDATA, &b);
    api.setopt(curl, CURLOPT_TIMEOUT_MS, r->timeout_ms);
    api.setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, r->connect_timeout_ms);
    api.setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api.setopt(curl, CURLOPT_USERAGENT, "schemactl");
    api.setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    api.setopt(curl, CURLOPT_PATH_AS_IS, 1L); // subjects like ".." are data, not path steps
    if (r->user_password) {
        api.setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        api.setopt(curl, CURLOPT_USERPWD, r->user_password);
    }
    if (r->ca_file) api.setopt(curl, CURLOPT_CAINFO, r->ca_file);
    if (r->client_cert) api.setopt(curl, CURLOPT_SSLCERT, r->client_cert);
    if (r->client_key) api.setopt(curl, CURLOPT_SSLKEY, r->client_key);
    if (r->insecure) {
        api.setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        api.setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode code = api.perform(curl);
    api.slist_free_all(headers);
    if (code != CURLE_OK) {
        snprintf(error, error_size, "%s", b.overflow ? "response larger than the limit" : api.strerror(code));
        free(b.data);
        return (int)code;
    }
    api.getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    *body = b.data;
    *length = b.length;
    return 0;
}

int schemactl_http_is_connect_error(int code) {
    return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY
        || code == CURLE_OPERATION_TIMEDOUT || code == CURLE_GOT_NOTHING || code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR;
}
