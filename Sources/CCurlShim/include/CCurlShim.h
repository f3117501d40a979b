#ifndef SWITCHBOARD_CCURLSHIM_H
#define SWITCHBOARD_CCURLSHIM_H

#include <curl/curl.h>

/// Typed wrappers for the variadic curl_easy_setopt / curl_easy_getinfo, which Swift cannot call.
typedef size_t (*sb_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

CURLcode sb_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode sb_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode sb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode sb_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode sb_curl_setopt_callback(CURL *handle, CURLoption option, sb_curl_data_callback callback);
CURLcode sb_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode sb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// CURLOPT_DEBUGFUNCTION's callback: the mail client reads the server's reply lines from it.
typedef int (*sb_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);
CURLcode sb_curl_setopt_debug_callback(CURL *handle, CURLoption option, sb_curl_debug_callback callback);

#endif
