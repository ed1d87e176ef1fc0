#ifndef CSHIMS_H
#define CSHIMS_H
// C macros of the wrapped libraries, re-exposed as functions Swift can call.
#include <jansson.h>
#include <stddef.h>

/// `json_typeof(json)` is a macro in jansson.h.
json_type CShims_json_typeof(const json_t *json);

/// The `json_error_code` of a failed load (stored in the last byte of `text`).
int CShims_json_error_code(const json_error_t *error);


/// HTTP(S) GET through libcurl, loaded with dlopen on first use so that schemactl does not load
/// libcurl and its dependencies at every start. Returns 0 and a malloc'd body (free it), or -1
/// with a message in `error`. `status` receives the HTTP status code.
int CShims_http_get(const char *url, long timeout_seconds, char **body, size_t *length, long *status,
                    char *error, size_t error_size);

#endif
