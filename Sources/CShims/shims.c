#include "CShims.h"

json_type CShims_json_typeof(const json_t *json) { return json_typeof(json); }

int CShims_json_error_code(const json_error_t *error) { return (int)json_error_code(error); }
