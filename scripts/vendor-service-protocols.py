"""Regenerates src/protocol/models/service-protocols.json from an installed botocore
(Apache-2.0 data; see src/protocol/models/LICENSE.txt and NOTICE): for every AWS service,
the names a request may carry (signing name, endpoint prefix, JSON target prefix) and the
wire protocol it speaks, so a request for a service iamlocal does not serve is answered
in that service's own protocol. usage: python3 scripts/vendor-service-protocols.py"""
import gzip, json, os, sys
import botocore
from botocore.loaders import Loader

loader = Loader()
out = {}
for name in sorted(loader.list_available_services('service-2')):
    meta = loader.load_service_model(name, 'service-2')['metadata']
    protocol = meta.get('protocol') or (meta.get('protocols') or ['query'])[0]
    entry = {'serviceId': meta.get('serviceId', name), 'protocol': protocol}
    if protocol == 'json' or 'json' in (meta.get('protocols') or []):
        entry['protocol'] = 'json'
        entry['jsonVersion'] = meta.get('jsonVersion', '1.0')
        if meta.get('targetPrefix'): entry['targetPrefix'] = meta['targetPrefix']
    for key in (meta.get('signingName'), meta.get('endpointPrefix')):
        if key and key not in out: out[key] = entry
dest = os.path.join(os.path.dirname(__file__), '..', 'src', 'protocol', 'models', 'service-protocols.json')
with open(dest, 'w') as f:
    json.dump({'botocore': botocore.__version__, 'services': out}, f, separators=(',', ':'), sort_keys=True)
print(f'wrote {len(out)} names from botocore {botocore.__version__}')
