#!/usr/bin/env python3
"""Writes the body of modeltypes_test.go from Amazon's published models.

Usage: genmodel.py ordersV0.json tokens_2021-03-01.json > body.go
(models/orders-api-model/ordersV0.json and models/tokens-api-model/tokens_2021-03-01.json of
amzn/selling-partner-api-models@34dc93fe45f37c9a0b2e56823c808f68b4f81754). Every property of
each definition the simulator answers with becomes a field named and typed as declared; other
definitions are json.RawMessage. Required lists and enums are written beside each type.
"""
import json, sys

m = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
defs = m['definitions']
want = ['GetOrdersResponse', 'OrdersList', 'Order', 'Money', 'GetOrderResponse', 'GetOrderItemsResponse', 'OrderItemsList', 'OrderItem',
        'GetOrderAddressResponse', 'OrderAddress', 'Address', 'GetOrderBuyerInfoResponse', 'OrderBuyerInfo', 'BuyerInfo', 'ErrorList', 'Error',
        'ConfirmShipmentErrorResponse']


def gotype(v):
    if '$ref' in v:
        r = v['$ref'].split('/')[-1]
        if r in want:
            return '*model' + r
        d = defs[r]
        if d.get('type') == 'array':
            it = d['items']
            if '$ref' in it and it['$ref'].split('/')[-1] in want:
                return '[]model' + it['$ref'].split('/')[-1]
            if it.get('type') == 'string':
                return '[]string'
            return 'json.RawMessage'
        if d.get('type') == 'string':
            return '*string'
        return 'json.RawMessage'
    ty = v.get('type')
    if ty in ('string', 'integer', 'boolean', 'number'):
        return {'string': '*string', 'integer': '*int64', 'boolean': '*bool', 'number': '*float64'}[ty]
    if ty == 'array':
        it = v['items']
        if '$ref' in it and it['$ref'].split('/')[-1] in want:
            return '[]model' + it['$ref'].split('/')[-1]
    return 'json.RawMessage'


def emit(n, d):
    if d.get('type') == 'array':
        print(f"type model{n} = []model{d['items']['$ref'].split('/')[-1]}\n")
        return
    print(f'type model{n} struct {{')
    for k, v in d.get('properties', {}).items():
        print(f'\t{k[0].upper() + k[1:]} {gotype(v)} `json:"{k}"`')
    print('}\n')
    if d.get('required'):
        print(f"var model{n}Required = []string{{{', '.join(json.dumps(r) for r in d['required'])}}}\n")
    enums = {k: v['enum'] for k, v in d.get('properties', {}).items() if 'enum' in v}
    if enums:
        print(f'var model{n}Enums = map[string][]string{{')
        for k, e in enums.items():
            print(f"\t\"{k}\": {{{', '.join(json.dumps(x) for x in e)}}},")
        print('}\n')


for n in want:
    emit(n, defs[n])
emit('CreateRestrictedDataTokenResponse', t['definitions']['CreateRestrictedDataTokenResponse'])
