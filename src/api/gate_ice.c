/* gate_ice.c: the one JSON form of an ICE server list (see gate.h). */
#include "config.h"
#include "api/gate.h"

#include "util/jsonu.h"

json_object *gate_ice_json(const gate_ice_list *l)
{
    json_object *arr = json_object_new_array();
    for (size_t i = 0; l && i < l->n; i++) {
        const gate_ice_server *s = &l->items[i];
        json_object *o = json_object_new_object();
        json_object *urls = json_object_new_array();
        for (size_t u = 0; u < s->nurls; u++)
            json_object_array_add(urls, jsonu_new_string(s->urls[u]));
        json_object_object_add(o, "urls", urls);
        if (s->username)
            json_object_object_add(o, "username", jsonu_new_string(s->username));
        if (s->credential)
            json_object_object_add(o, "credential", jsonu_new_string(s->credential));
        json_object_array_add(arr, o);
    }
    return arr;
}
