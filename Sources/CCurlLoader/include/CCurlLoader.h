#ifndef CCURLLOADER_H
#define CCURLLOADER_H
// libcurl's easy interface, loaded with dlopen on first use so that schemactl does not load libcurl
// and the TLS stack at every start (most commands never speak HTTP). Types and constants come from
// curl.h (libcurl4-openssl-dev); the calls go through function pointers.
#include <stddef.h>

typedef struct schemactl_http schemactl_http;

typedef struct {
    const char *method;             // GET, POST, PUT, DELETE
    const char *url;
    const char *const *headers;     // "Name: value" lines
    size_t header_count;
    const unsigned char *body;      // NULL for none
    size_t body_length;
    long timeout_ms;                // whole request
    long connect_timeout_ms;
    const char *user_password;      // "user:password" for basic auth, or NULL
    const char *ca_file;            // PEM bundle to verify the server with, or NULL
    const char *client_cert;        // PEM client certificate, or NULL
    const char *client_key;         // PEM client key, or NULL
    int insecure;                   // 1: do not verify the server's certificate
    size_t max_response_bytes;
} schemactl_http_request;

/// A handle that keeps connections alive between requests. NULL (and a message) when libcurl
/// cannot be loaded.
schemactl_http *schemactl_http_open(char *error, size_t error_size);
void schemactl_http_close(schemactl_http *http);

/// Performs one request. Returns 0 with the status and a malloc'd body (free it) when a response
/// came back, whatever its status; otherwise the CURLcode (> 0) with a message in `error`.
int schemactl_http_perform(schemactl_http *http, const schemactl_http_request *request, long *status,
                           unsigned char **body, size_t *length, char *error, size_t error_size);

/// Whether a CURLcode means the server could not be reached (worth retrying).
int schemactl_http_is_connect_error(int code);

#endif
