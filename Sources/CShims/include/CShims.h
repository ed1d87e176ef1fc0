#ifndef CSHIMS_H
#define CSHIMS_H
// C macros of the wrapped libraries, re-exposed as functions Swift can call.
#include <jansson.h>
#include <stddef.h>

/// `json_typeof(json)` is a macro in jansson.h.
json_type CShims_json_typeof(const json_t *json);

/// The `json_error_code` of a failed load (stored in the last byte of `text`).
int CShims_json_error_code(const json_error_t *error);


#endif
