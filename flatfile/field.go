package flatfile

import "github.com/partnergate/partnergate/canonical"

// Field is a canonical field a CSV column can feed, such as FieldOrderNumber
// ("order_number") or FieldLineQuantity ("line.quantity"). Fields starting
// with "line." belong to a document line: every row adds one line. The others
// belong to the document and are read from its first row; later rows of the
// same document must repeat the value or leave it empty.
type Field string

// Document fields.
const (
	// FieldOrderNumber is Order.OrderNumber, or one of Shipment.OrderNumbers.
	FieldOrderNumber Field = "order_number"
	// FieldPurchaseOrderNumber is Order.PurchaseOrderNumber.
	FieldPurchaseOrderNumber Field = "purchase_order_number"
	// FieldOrderDate is Order.OrderDate.
	FieldOrderDate Field = "order_date"
	// FieldRequestedShipDate is Order.RequestedShipDate.
	FieldRequestedShipDate Field = "requested_ship_date"
	// FieldRequestedDeliveryDate is Order.RequestedDeliveryDate.
	FieldRequestedDeliveryDate Field = "requested_delivery_date"
	// FieldCancelAfterDate is Order.CancelAfterDate.
	FieldCancelAfterDate Field = "cancel_after_date"
	// FieldCurrency is Order.Currency.
	FieldCurrency Field = "currency"

	// FieldShipToName and the other ship_to fields fill the ship-to Party.
	FieldShipToName       Field = "ship_to.name"
	FieldShipToAddress1   Field = "ship_to.address1"
	FieldShipToAddress2   Field = "ship_to.address2"
	FieldShipToCity       Field = "ship_to.city"
	FieldShipToState      Field = "ship_to.state"
	FieldShipToPostalCode Field = "ship_to.postal_code"
	FieldShipToCountry    Field = "ship_to.country"

	// FieldCarrierSCAC is Carrier.SCAC of an order or shipment.
	FieldCarrierSCAC Field = "carrier_scac"
	// FieldCarrierService is Carrier.Service.
	FieldCarrierService Field = "carrier_service"
	// FieldCarrierMode is Carrier.Mode.
	FieldCarrierMode Field = "carrier_mode"
	// FieldTrackingNumber is one of Shipment.Carrier.TrackingNumbers; rows
	// of one shipment may each name a different one.
	FieldTrackingNumber Field = "tracking_number"
	// FieldBOL is Shipment.Carrier.BOL.
	FieldBOL Field = "bol"
	// FieldPRO is Shipment.Carrier.PRO.
	FieldPRO Field = "pro"

	// FieldShipmentID is Shipment.ShipmentID.
	FieldShipmentID Field = "shipment_id"
	// FieldShipDate is Shipment.ShipDate.
	FieldShipDate Field = "ship_date"
	// FieldShipTime is Shipment.ShipTime.
	FieldShipTime Field = "ship_time"
	// FieldEstimatedDeliveryDate is Shipment.EstimatedDeliveryDate.
	FieldEstimatedDeliveryDate Field = "estimated_delivery_date"

	// FieldRMANumber is Return.RMANumber.
	FieldRMANumber Field = "rma_number"
	// FieldOriginalOrder is Return.OrderNumber.
	FieldOriginalOrder Field = "original_order"
	// FieldReceivedDate is Return.ReceivedDate.
	FieldReceivedDate Field = "received_date"
)

// Line fields.
const (
	// FieldLineNumber is the line's LineNumber; without it lines are
	// numbered 1, 2, 3 … in file order.
	FieldLineNumber Field = "line.number"
	// FieldLineSKU and the other item fields fill the line's Item.
	FieldLineSKU         Field = "line.sku"
	FieldLineUPC         Field = "line.upc"
	FieldLineGTIN        Field = "line.gtin"
	FieldLineVendorItem  Field = "line.vendor_item"
	FieldLineBuyerItem   Field = "line.buyer_item"
	FieldLineDescription Field = "line.description"
	FieldLineLot         Field = "line.lot"
	// FieldLineQuantity is OrderLine.Quantity, ShipmentLine.QuantityShipped
	// or ReturnLine.Quantity. Every profile maps it or gives it a default.
	FieldLineQuantity Field = "line.quantity"
	// FieldLineQuantityOrdered is ShipmentLine.QuantityOrdered.
	FieldLineQuantityOrdered Field = "line.quantity_ordered"
	// FieldLineUOM is the line's unit of measure.
	FieldLineUOM Field = "line.uom"
	// FieldLineUnitPrice is OrderLine.UnitPrice.
	FieldLineUnitPrice Field = "line.unit_price"
	// FieldLineOrderNumber is ShipmentLine.OrderNumber; it also joins
	// Shipment.OrderNumbers.
	FieldLineOrderNumber Field = "line.order_number"
	// FieldLineStatus is ShipmentLine.Status.
	FieldLineStatus Field = "line.status"
	// FieldLineReason, FieldLineCondition and FieldLineDisposition are the
	// ReturnLine fields of the same names.
	FieldLineReason      Field = "line.reason"
	FieldLineCondition   Field = "line.condition"
	FieldLineDisposition Field = "line.disposition"
)

// kind is how a field's text becomes a canonical value.
type kind uint8

const (
	kindText kind = iota
	kindDecimal
	kindDate
	kindTime
)

// docMask says which document types a field applies to.
type docMask uint8

const (
	forOrder docMask = 1 << iota
	forShipment
	forReturn
	forAll = forOrder | forShipment | forReturn
)

// fieldInfo describes one Field.
type fieldInfo struct {
	kind kind
	docs docMask
	line bool // a line field: one value per row
	// multi marks the document types where the field's rows may carry
	// different values, each kept once (a shipment's tracking and order
	// numbers).
	multi docMask
}

// fields is the immutable table of supported fields.
var fields = map[Field]fieldInfo{
	FieldOrderNumber:           {docs: forOrder | forShipment, multi: forShipment},
	FieldPurchaseOrderNumber:   {docs: forOrder},
	FieldOrderDate:             {kind: kindDate, docs: forOrder},
	FieldRequestedShipDate:     {kind: kindDate, docs: forOrder},
	FieldRequestedDeliveryDate: {kind: kindDate, docs: forOrder},
	FieldCancelAfterDate:       {kind: kindDate, docs: forOrder},
	FieldCurrency:              {docs: forOrder},
	FieldShipToName:            {docs: forOrder | forShipment},
	FieldShipToAddress1:        {docs: forOrder | forShipment},
	FieldShipToAddress2:        {docs: forOrder | forShipment},
	FieldShipToCity:            {docs: forOrder | forShipment},
	FieldShipToState:           {docs: forOrder | forShipment},
	FieldShipToPostalCode:      {docs: forOrder | forShipment},
	FieldShipToCountry:         {docs: forOrder | forShipment},
	FieldCarrierSCAC:           {docs: forOrder | forShipment},
	FieldCarrierService:        {docs: forOrder | forShipment},
	FieldCarrierMode:           {docs: forOrder | forShipment},
	FieldTrackingNumber:        {docs: forShipment, multi: forShipment},
	FieldBOL:                   {docs: forShipment},
	FieldPRO:                   {docs: forShipment},
	FieldShipmentID:            {docs: forShipment},
	FieldShipDate:              {kind: kindDate, docs: forShipment},
	FieldShipTime:              {kind: kindTime, docs: forShipment},
	FieldEstimatedDeliveryDate: {kind: kindDate, docs: forShipment},
	FieldRMANumber:             {docs: forReturn},
	FieldOriginalOrder:         {docs: forReturn},
	FieldReceivedDate:          {kind: kindDate, docs: forReturn},

	FieldLineNumber:          {docs: forAll, line: true},
	FieldLineSKU:             {docs: forAll, line: true},
	FieldLineUPC:             {docs: forAll, line: true},
	FieldLineGTIN:            {docs: forAll, line: true},
	FieldLineVendorItem:      {docs: forAll, line: true},
	FieldLineBuyerItem:       {docs: forAll, line: true},
	FieldLineDescription:     {docs: forAll, line: true},
	FieldLineLot:             {docs: forAll, line: true},
	FieldLineQuantity:        {kind: kindDecimal, docs: forAll, line: true},
	FieldLineQuantityOrdered: {kind: kindDecimal, docs: forShipment, line: true},
	FieldLineUOM:             {docs: forAll, line: true},
	FieldLineUnitPrice:       {kind: kindDecimal, docs: forOrder, line: true},
	FieldLineOrderNumber:     {docs: forShipment, line: true},
	FieldLineStatus:          {docs: forShipment, line: true},
	FieldLineReason:          {docs: forReturn, line: true},
	FieldLineCondition:       {docs: forReturn, line: true},
	FieldLineDisposition:     {docs: forReturn, line: true},
}

// Fields returns the fields documents of docType (canonical.TypeOrder,
// TypeShipment or TypeReturn) accept, in no particular order.
func Fields(docType string) []Field {
	m := maskOf(docType)
	var out []Field
	for f, fi := range fields {
		if fi.docs&m != 0 {
			out = append(out, f)
		}
	}
	return out
}

func maskOf(docType string) docMask {
	switch docType {
	case canonical.TypeOrder:
		return forOrder
	case canonical.TypeShipment:
		return forShipment
	case canonical.TypeReturn:
		return forReturn
	}
	return 0
}
