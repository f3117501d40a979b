"""Checks the Telegram plugin's test fixtures and wire names against the machine-readable Bot API
schema that aiogram's sdist ships (.butcher/schema/schema.json; see /work/shared/peers.md §4).

    pip download aiogram==3.31.0 --no-deps --no-binary :all: -d /tmp/aiogram
    tar xzf /tmp/aiogram/aiogram-3.31.0.tar.gz -C /tmp/aiogram aiogram-3.31.0/.butcher/schema/schema.json
    python3 Plugins/Telegram/check_fixtures_against_schema.py /tmp/aiogram/aiogram-3.31.0/.butcher/schema/schema.json

Every field of every fixture must be a documented field of its type with the documented JSON type,
and every required field must be present. Exits 1 and lists the problems otherwise.
"""
import json, os, re, sys
schema = json.load(open(sys.argv[1]))
objs = {}
for sec in schema['items']:
    for c in sec['children']:
        objs[c['name']] = c
def fields(name):
    return {a['name']: a for a in objs[name].get('annotations', [])}
src = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'Tests', 'TelegramFixtures.swift')).read()
values = {}
for m in re.finditer(r'^let (\w+) =\s*(?:\n\s*)?#"(.*?)"#$', src, re.M):
    values[m.group(1)] = m.group(2)
def expand(text):
    return re.sub(r'\\#\((\w+)\)', lambda m: values[m.group(1)], text)
blocks = {m.group(1): expand(m.group(2)) for m in re.finditer(r'let (\w+) = #"""\n(.*?)\n\s*"""#', src, re.S)}
errors = []
def check(value, typ, path):
    typ = typ.strip()
    if typ.startswith('Array of '):
        if not isinstance(value, list): errors.append(f'{path}: expected array'); return
        for i, v in enumerate(value): check(v, typ[9:], f'{path}[{i}]')
        return
    if ' or ' in typ:
        return
    if typ in ('Integer',): ok = isinstance(value, int) and not isinstance(value, bool)
    elif typ == 'String': ok = isinstance(value, str)
    elif typ in ('Boolean', 'True'): ok = isinstance(value, bool)
    elif typ == 'Float': ok = isinstance(value, (int, float))
    elif typ in objs:
        if not isinstance(value, dict): errors.append(f'{path}: expected {typ} object'); return
        f = fields(typ)
        for k, v in value.items():
            if k not in f: errors.append(f'{path}.{k}: not a field of {typ}')
            else: check(v, f[k]['type'], f'{path}.{k}')
        for k, a in f.items():
            if a.get('required') and k not in value: errors.append(f'{path}: {typ} misses required {k}')
        return
    else:
        errors.append(f'{path}: unknown type {typ}'); return
    if not ok: errors.append(f'{path}: {value!r} is not {typ}')
for name, text in blocks.items():
    if '\\#(' in text: continue  # functions' templates
    try: update = json.loads(text)
    except Exception as e: errors.append(f'{name}: not JSON: {e}'); continue
    check(update, 'Update', name)
    print('checked', name)
# objects used standalone
for name in ['anaChat', 'ana', 'ourBot']:
    check(json.loads(values[name]), 'Chat' if 'Chat' in name else 'User', name); print('checked', name)
# Wire names the sources send or read.
wire = {
    'getUpdates': ['offset', 'timeout', 'allowed_updates'],
    'setWebhook': ['url', 'secret_token', 'allowed_updates'],
    'sendMessage': ['chat_id', 'text', 'reply_parameters'],
    'ReplyParameters': ['message_id', 'allow_sending_without_reply'],
    'ResponseParameters': ['retry_after', 'migrate_to_chat_id'],
    'Update': ['update_id', 'message', 'edited_message', 'channel_post', 'edited_channel_post'],
    'Message': ['message_id', 'from', 'date', 'chat', 'edit_date', 'reply_to_message', 'text', 'caption', 'photo',
                'document', 'audio', 'voice', 'video', 'sticker', 'animation', 'location', 'contact'],
    'User': ['id', 'is_bot', 'first_name', 'last_name', 'username', 'language_code'],
    'Chat': ['id', 'type'], 'PhotoSize': ['file_id', 'width', 'height', 'file_size'],
    'Document': ['file_id', 'file_name', 'mime_type', 'file_size'],
    'Audio': ['file_id', 'file_name', 'mime_type', 'file_size'], 'Voice': ['file_id', 'mime_type', 'file_size'],
    'Video': ['file_id', 'file_name', 'mime_type', 'file_size'],
    'Animation': ['file_id', 'file_name', 'mime_type', 'file_size'],
    'Sticker': ['file_id', 'is_animated', 'is_video', 'emoji', 'file_size'],
    'Location': ['latitude', 'longitude'], 'Contact': ['phone_number', 'first_name', 'last_name'],
}
for name, keys in wire.items():
    f = fields(name)
    for k in keys:
        if k not in f: errors.append(f'{name}.{k}: not in the schema')
print('Bot API', schema['api'])
print('\n'.join(errors) if errors else 'no errors')
sys.exit(1 if errors else 0)
