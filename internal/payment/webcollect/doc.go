// Package webcollect is the client of クロネコwebコレクト, Yamato Financial's card gateway, as an
// own cart (自社カート) uses it: form POSTs of one function each (function_div, trader_code,
// order_no, …) answered with flat XML (<return><returnCode>0|1</returnCode><errorCode>…
// </errorCode><returnDate>YYYYMMDDHHMMSS</returnDate>…</return>). ichigen makes the calls a shop
// makes after the order: shipment entry that fixes the sale (E01 shipmentEntry, 売上確定), its
// cancel (E02), cancel of the authorisation (A06 creditCancel), amount change (A07
// creditChangePrice), re-authorisation (A11 reAuth) and the trade read-back (E04 tradeInfo);
// token authorisation (A08 creditToken) is the cart's, and is here for the demo cart.
//
// No official specification is public. The wire facts come from public plugins, collected in
// docs/marketplace-apis.md §5a with their confidence:
//   - tarosky/kuroneko-pay (WooCommerce, app/KuronekoYamato/KuronekoPay/Master/Endpoint.php,
//     API/CreditCard.php, Master/ErrorMaster.php): function names and paths, E01's slip_no and
//     delivery_service_code (00 ヤマト, 99 他社配送).
//   - zeds/ec-glocal.biz, CS-Cart addon kuroneko_webcollect (func.php, the ja .po error texts):
//     the error codes and texts used below, the states A06 and A07 are allowed from.
//   - AyeSuPaing/R5044_Kagome_Old, w2Commerce YamatoKwc (TradeInfoResponseData.cs,
//     ShipmentEntryApi, YamatoKwcErrorMessage.xml): E04's resultData fields and statusInfo.
//   - EC-CUBE YamatoPayment plugins (EC-CUBE2 SC_Mdl_YFCApi_Client_Util, EC-CUBE4
//     UtilClientService): A11 reAuth and its fields, action_status values, 30 after E01.
//   - makeshop's manual (seed 004) and Yamato Financial FAQ 2851: the 58 days of an
//     authorisation, 出荷確定 once Yamato sees the registered slip.
package webcollect
