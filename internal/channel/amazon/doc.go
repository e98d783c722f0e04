// Package amazon speaks Amazon's Selling Partner API for the Japanese marketplace (Far East
// endpoint): the wire types shared by the client and the simulator (amazonsim), the client with
// its Login with Amazon (LWA) token, its Restricted Data Tokens and per-operation token buckets,
// and the mapping of Orders API v0 orders into ichigen's order.
//
// The wire types follow Amazon's published models, amzn/selling-partner-api-models @34dc93f:
// models/orders-api-model/ordersV0.json (getOrders, getOrder, getOrderItems, getOrderAddress,
// getOrderBuyerInfo, confirmShipment and their usage plans), models/tokens-api-model/
// tokens_2021-03-01.json (createRestrictedDataToken) and the LWA token exchange of
// clients/sellingpartner-api-aa-java (LWAClient.java, LWAAccessTokenRequestMeta.java). The rest
// of the facts used are in docs/marketplace-apis.md §4 and §7.
//
// What the models do not say is the client's own choice and marked where it is used: the JP
// carrierCode spellings, the wording of the 400s of confirmShipment beyond "InvalidInput".
package amazon
