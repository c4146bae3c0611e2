package edi

import (
	"fmt"
	"strings"
)

// Code lists of the ID elements the canonical maps and the acknowledgments
// depend on. A list here is checked by the validator (AK403 7), so a list
// that is too short rejects real files. The business lists are therefore
// complete 004010 lists: the open-ended ones (98, 66, 235, 355) carry every
// 004010 code with meanings for the codes the maps use, 374 and 432 accept
// every numbered code, and an element whose list we do not carry (128
// Reference Identification Qualifier, for one) has no list at all. The
// acknowledgment lists are those of x12-reference §6.4.
//
// All lists are built once at package initialisation and never modified.

// codesPurpose353 is element 353 Transaction Set Purpose Code (BEG01, BSN01).
var codesPurpose353 = NewCodeList("Transaction Set Purpose Code (353)",
	"00", "Original",
	"01", "Cancellation",
	"02", "Add",
	"03", "Delete",
	"04", "Change",
	"05", "Replace",
	"06", "Confirmation",
	"07", "Duplicate",
	"08", "Status",
	"10", "Not Found",
	"11", "Response",
	"12", "Not Processed",
	"13", "Request",
	"14", "Advance Notification",
	"15", "Re-Submission",
	"16", "Proposed",
	"17", "Cancel, to be Reissued",
	"18", "Reissue",
	"19", "Seller initiated change",
	"20", "Final Transmission",
	"21", "Transaction on Hold",
	"22", "Information Copy",
	"24", "Draft",
	"25", "Incremental",
	"26", "Replace - Specified Buyers Parts Only",
	"27", "Verify",
	"28", "Query",
	"30", "Renewal",
	"31", "Allowance/Addition",
	"32", "Recovery/Deduction",
	"33", "Request for Payment",
	"34", "Payment Declined",
	"35", "Request Authority",
	"36", "Authority to Deduct (Reply)",
	"37", "Authority Declined (Reply)",
	"38", "No Financial Value",
	"39", "Response to Proposed Trip Plan",
	"40", "Commitment Advice",
	"41", "Corrected and Verified",
	"42", "Temporary Record",
	"43", "Request Permission to Service",
	"44", "Rejection",
	"45", "Follow-up",
	"46", "Cancellation with Refund",
	"47", "Transfer",
	"48", "Suspended",
	"49", "Original - No Response Necessary",
	"50", "Register",
	"51", "Historical Inquiry",
	"52", "Response to Historical Inquiry",
	"53", "Completion",
	"54", "Approval",
	"55", "Excavation",
	"56", "Expiration Notification",
	"5C", "Chargeable Resubmission",
	"77", "Simulation Exercise",
	"CN", "Completion Notification",
	"CO", "Corrected",
	"EX", "Final Loading Configuration",
	"GR", "Granted",
	"PR", "Proposed Loading Configuration",
	"RH", "Release Hold",
	"RV", "Revised Loading Configuration",
	"SU", "Status Update",
	"ZZ", "Mutually Defined",
)

// codesPOType92 is element 92 Purchase Order Type Code (BEG02, PRF07), the
// complete 004010 list. Codes whose meaning we do not carry have none.
var codesPOType92 = NewCodeList("Purchase Order Type Code (92)",
	"AB", "Assortment Against Blanket",
	"AC", "AOG (Aircraft on Ground) Critical",
	"AO", "AOG (Aircraft on Ground) Service",
	"BD", "Bidding",
	"BE", "Blanket Order/Estimated Quantities (Not firm Commitment)",
	"BH", "",
	"BK", "Blanket Order (Quantity Firm)",
	"BL", "Bailment",
	"BQ", "Budgetary Quote",
	"BY", "Buying",
	"CA", "Contract Award Notification",
	"CC", "",
	"CF", "Confirmation",
	"CN", "Consigned Order",
	"CO", "Change Order",
	"CP", "Change to Purchase Order",
	"CR", "Change to Release",
	"DR", "",
	"DS", "Dropship",
	"EO", "Emergency Order",
	"FH", "Fabricate and Hold",
	"IN", "Information Copy",
	"JL", "Job Lot",
	"KA", "",
	"KB", "Kanban Signal",
	"KC", "",
	"KD", "",
	"KE", "",
	"KG", "",
	"KI", "",
	"KN", "Purchase Order",
	"KO", "Close Out",
	"KP", "",
	"KQ", "",
	"KR", "",
	"KS", "",
	"KT", "",
	"LB", "Lease (Blanket Agreement)",
	"LS", "Lease",
	"NE", "New Order",
	"NO", "",
	"NP", "New Product Introduction",
	"NS", "New Store Opening",
	"OS", "Special Order",
	"PR", "Promotion",
	"RA", "Release Against Assortment",
	"RC", "",
	"RE", "Reorder",
	"RL", "Release or Delivery Order",
	"RN", "Renewal Order",
	"RO", "Rush Order",
	"RR", "Repair and Return",
	"RT", "Rental",
	"RU", "",
	"RW", "",
	"SA", "Stand-alone Order",
	"SO", "Shipped Order",
	"SP", "Sample",
	"SS", "Supply or Service Order",
	"ST", "Standing Order",
	"SW", "Stop Work",
	"TC", "Toll Conversion Order",
	"TM", "Time & Materials",
	"TR", "Termination",
	"UD", "",
	"UE", "Unit Exchange",
	"US", "Urgent Service Request",
	"WO", "Warranty Order",
	"ZZ", "Mutually Defined",
)

// codesEntity98 is element 98 Entity Identifier Code (N101, N106, CUR01):
// every 004010 code, with meanings for the parties of order, shipping and
// warehouse documents.
var codesEntity98 = codeSet("Entity Identifier Code (98)", codeSet98,
	"40", "Receiver",
	"41", "Submitter",
	"AG", "Agent/Agency",
	"BG", "Buying Group",
	"BO", "Broker or Sales Office",
	"BS", "Bill and Ship To",
	"BT", "Bill-to-Party",
	"BY", "Buying Party (Purchaser)",
	"CA", "Carrier",
	"CB", "Customs Broker",
	"CN", "Consignee",
	"CT", "Country of Origin",
	"DA", "Delivery Address",
	"DE", "Depositor",
	"DS", "Distributor",
	"DT", "Destination Terminal",
	"DU", "Resale Dealer",
	"EN", "End User",
	"FA", "Facility",
	"FR", "Message From",
	"FW", "Forwarder",
	"II", "Issuer of Invoice",
	"MA", "Party for whom Item is Ultimately Intended",
	"MF", "Manufacturer of Goods",
	"MI", "Planning Schedule/Material Release Issuer",
	"MP", "Manufacturing Plant",
	"OB", "Ordered By",
	"OT", "Origin Terminal",
	"PD", "Purchaser's Department Buyer",
	"PE", "Payee",
	"PF", "Party to Receive Freight Bill",
	"PK", "Party to Receive Copy",
	"PN", "Party to Receive Shipping Notice",
	"PO", "Party to Receive Invoice for Goods or Services",
	"PR", "Payer",
	"PW", "Pick Up Address",
	"RC", "Receiving Location",
	"RE", "Party to Receive Commercial Invoice Remittance",
	"RI", "Remit To",
	"RL", "Reporting Location",
	"SE", "Selling Party",
	"SF", "Ship From",
	"SH", "Shipper",
	"SJ", "Service Provider",
	"SN", "Store",
	"SO", "Sold To If Different From Bill To",
	"ST", "Ship To",
	"SU", "Supplier/Manufacturer",
	"TO", "Message To",
	"UC", "Ultimate Consignee",
	"VN", "Vendor",
	"WH", "Warehouse",
	"Z7", "Mark-for Party",
	"ZZ", "Mutually Defined",
)

// codesIDQualifier66 is element 66 Identification Code Qualifier (N103,
// TD502, SDQ02): every 004010 code, with meanings for the common ones.
var codesIDQualifier66 = codeSet("Identification Code Qualifier (66)", codeSet66,
	"1", "D-U-N-S Number, Dun & Bradstreet",
	"2", "Standard Carrier Alpha Code (SCAC)",
	"3", "Federal Maritime Commission (Ocean) (FMC)",
	"4", "International Air Transport Association (IATA)",
	"6", "Plant Code",
	"7", "Loading Dock",
	"8", "UCC/EAN Global Product Identification Prefix",
	"9", "D-U-N-S+4, D-U-N-S Number with Four Character Suffix",
	"10", "Department of Defense Activity Address Code (DODAAC)",
	"11", "Drug Enforcement Administration (DEA)",
	"12", "Telephone Number (Phone)",
	"13", "Federal Reserve Routing Code (FRRC)",
	"14", "UCC/EAN Location Code Prefix",
	"15", "Standard Address Number (SAN)",
	"16", "ZIP Code",
	"17", "Automated Broker Interface (ABI) Routing Code",
	"18", "Automotive Industry Action Group (AIAG)",
	"20", "Standard Point Location Code (SPLC)",
	"21", "Health Industry Number (HIN)",
	"24", "Employer's Identification Number",
	"25", "Carrier's Customer Code",
	"27", "Government Bill Of Lading Office Code (GBLOC)",
	"34", "Social Security Number",
	"53", "Building",
	"54", "Warehouse",
	"55", "Post Office Box",
	"56", "Division",
	"57", "Department",
	"91", "Assigned by Seller or Seller's Agent",
	"92", "Assigned by Buyer or Buyer's Agent",
	"93", "Code assigned by the organization originating the transaction set",
	"94", "Code assigned by the organization that is the ultimate destination of the transaction set",
	"95", "Assigned By Transporter",
	"97", "Receiver's Code",
	"A3", "Assigned by Third Party",
	"FI", "Federal Taxpayer's Identification Number",
	"UL", "UCC/EAN Location Code",
	"ZZ", "Mutually Defined",
)

// codesDateQualifier374 is element 374 Date/Time Qualifier (DTM01). The
// 004010 list holds nearly every three-digit number, so every code 001–999
// is accepted; the meanings are carried for the qualifiers the maps use.
var codesDateQualifier374 = numberedCodeList("Date/Time Qualifier (374)", 3, 999,
	"001", "Cancel After",
	"002", "Delivery Requested",
	"003", "Invoice",
	"004", "Purchase Order",
	"007", "Effective",
	"010", "Requested Ship",
	"011", "Shipped",
	"015", "Promotion Start",
	"016", "Promotion End",
	"017", "Estimated Delivery",
	"018", "Available",
	"019", "Unloaded",
	"035", "Delivered",
	"036", "Expiration",
	"037", "Ship Not Before",
	"038", "Ship No Later",
	"039", "Ship Week Of",
	"050", "Received",
	"063", "Do Not Deliver After",
	"064", "Do Not Deliver Before",
	"067", "Current Schedule Delivery",
	"068", "Current Schedule Ship",
	"069", "Promised for Delivery",
	"070", "Scheduled for Delivery (After and Including)",
	"071", "Requested for Delivery (After and Including)",
	"074", "Requested for Delivery (Prior to and Including)",
	"077", "Requested for Delivery (Week of)",
	"094", "Manufacture",
	"097", "Transaction Creation",
	"106", "Required By",
	"118", "Requested Pick-up",
	"193", "Period Start",
	"194", "Period End",
	"208", "Lot Number Expiration",
	"369", "Estimated Departure Date",
	"370", "Actual Departure Date",
	"371", "Estimated Arrival Date",
	"372", "Actual Arrival Date",
	"511", "Shelf Life Expiration",
	"996", "Required Delivery",
)

// codesDateQualifier432 is element 432 Date Qualifier (G6201). Every
// two-digit code and the lettered 004010 codes are accepted; meanings are
// carried for the dates the warehouse maps use.
var codesDateQualifier432 = numberedCodeList("Date Qualifier (432)", 2, 99,
	"01", "Cancel if Not Delivered by This Date",
	"02", "Delivery Requested on This Date",
	"04", "Purchase Order Date",
	"07", "Effective Date",
	"10", "Requested Ship Date/Pick-up Date",
	"11", "Shipped on This Date",
	"17", "Estimated Delivery Date",
	"35", "Delivered on This Date",
	"37", "Ship Not Before Date",
	"38", "Ship Not Later Than Date",
	"53", "Deliver Not Before Date",
	"54", "Deliver No Later Than Date",
	"AA", "", "AB", "", "BB", "", "BC", "", "BD", "", "BE", "", "BF", "",
	"BG", "", "BH", "", "BI", "", "BJ", "", "BK", "", "BL", "", "BM", "",
	"BN", "", "BO", "", "BP", "", "BQ", "", "BR", "", "BS", "", "BT", "",
	"BU", "", "BV", "", "BW", "", "BX", "", "BY", "", "BZ", "", "CA", "",
	"CB", "", "CE", "", "CL", "", "EP", "", "KA", "", "LA", "", "LC", "",
	"LD", "", "LP", "", "PE", "", "SE", "", "TA", "", "TR", "",
)

// codesProductQualifier235 is element 235 Product/Service ID Qualifier (PO1,
// LIN, SLN, W01, W12 pairs): every 004010 code, with meanings for those of
// x12-reference §2.2 and the others retail, grocery, apparel and pharmacy
// partners send.
var codesProductQualifier235 = codeSet("Product/Service ID Qualifier (235)", codeSet235,
	"AB", "Assembly",
	"B8", "Batch Number",
	"BL", "Brand/Label",
	"BN", "Bar-Coded Serial Number",
	"BO", "Buyer's Color",
	"BP", "Buyer's Part Number",
	"CB", "Buyer's Catalog Number",
	"CG", "Commodity Grouping",
	"CH", "Country of Origin Code",
	"CL", "Color",
	"CR", "Contract Number",
	"EC", "Engineering Change Level",
	"EN", "European Article Number (EAN) (2-5-5-1)",
	"IB", "International Standard Book Number (ISBN)",
	"IN", "Buyer's Item Number",
	"IT", "Buyer's Style Number",
	"IZ", "Buyer's Size Code",
	"LT", "Lot Number",
	"MF", "Manufacturer",
	"MG", "Manufacturer's Part Number",
	"MN", "Model Number",
	"N1", "National Drug Code in 4-4-2 Format",
	"N2", "National Drug Code in 5-3-2 Format",
	"N3", "National Drug Code in 5-4-1 Format",
	"N4", "National Drug Code in 5-4-2 Format",
	"ND", "National Drug Code (NDC)",
	"PD", "Part Number Description",
	"PI", "Purchaser's Item Code",
	"PL", "Purchaser's Order Line Number",
	"PN", "Company Part Number",
	"PO", "Purchase Order Number",
	"PR", "Process Number",
	"RC", "Returnable Container Number",
	"SK", "Stock Keeping Unit (SKU)",
	"SN", "Serial Number",
	"ST", "Style Number",
	"SZ", "Vendor Alphanumeric Size Code (NRMA Database)",
	"UA", "U.P.C./EAN Case Code (2-5-5)",
	"UD", "U.P.C./EAN Consumer Package Code (2-5-5)",
	"UI", "U.P.C. Consumer Package Code (1-5-5)",
	"UK", "U.P.C./EAN Shipping Container Code (1-2-5-5-1)",
	"UN", "U.P.C. Case Code Number (1-1-5-5)",
	"UP", "U.P.C. Consumer Package Code (1-5-5-1)",
	"VA", "Vendor's Style Number",
	"VC", "Vendor's (Seller's) Catalog Number",
	"VE", "Vendor Color",
	"VN", "Vendor's (Seller's) Item Number",
	"VP", "Vendor's (Seller's) Part Number",
	"VS", "Vendor's Supplemental Item Number",
	"ZZ", "Mutually Defined",
)

// codesUnit355 is element 355 Unit or Basis for Measurement Code, used for
// quantities, weights, volumes and dimensions throughout: every 004010 code,
// with meanings for the common ones.
var codesUnit355 = codeSet("Unit or Basis for Measurement Code (355)", codeSet355,
	"AS", "Assortment",
	"AY", "Assembly",
	"BA", "Bale",
	"BC", "Bucket",
	"BD", "Bundle",
	"BF", "Board Feet",
	"BG", "Bag",
	"BK", "Book",
	"BO", "Bottle",
	"BR", "Barrel",
	"BU", "Bushel",
	"BX", "Box",
	"CA", "Case",
	"CB", "Carboy",
	"CC", "Cubic Centimeter",
	"CF", "Cubic Feet",
	"CG", "Card",
	"CH", "Container",
	"CL", "Cylinder",
	"CM", "Centimeter",
	"CN", "Can",
	"CO", "Cubic Meters (Net)",
	"CQ", "Cartridge",
	"CR", "Cubic Meter",
	"CT", "Carton",
	"CW", "Hundred Pounds (CWT)",
	"CX", "Coil",
	"CY", "Cubic Yard",
	"DA", "Days",
	"DC", "Disk (Disc)",
	"DO", "Dollars, U.S.",
	"DR", "Drum",
	"DS", "Display",
	"DZ", "Dozen",
	"EA", "Each",
	"EV", "Envelope",
	"FT", "Foot",
	"GA", "Gallon",
	"GR", "Gram",
	"GS", "Gross",
	"HR", "Hours",
	"HU", "Hundred",
	"IN", "Inch",
	"JR", "Jar",
	"KG", "Kilogram",
	"KT", "Kit",
	"LB", "Pound",
	"LF", "Linear Foot",
	"LT", "Liter",
	"LY", "Linear Yard",
	"MM", "Millimeter",
	"MO", "Months",
	"MP", "Metric Ton",
	"MR", "Meter",
	"OZ", "Ounce - Av",
	"P1", "Percent",
	"PA", "Pail",
	"PC", "Piece",
	"PD", "Pad",
	"PF", "Pallet (Lift)",
	"PH", "Pack (PAK)",
	"PK", "Package",
	"PL", "Pallet/Unit Load",
	"PR", "Pair",
	"PT", "Pint",
	"QT", "Quart",
	"RE", "Reel",
	"RL", "Roll",
	"RM", "Ream",
	"SF", "Square Foot",
	"SH", "Sheet",
	"SM", "Square Meter",
	"SO", "Spool",
	"SP", "Shelf Package",
	"ST", "Set",
	"SX", "Shipment",
	"SY", "Square Yard",
	"TB", "Tube",
	"TH", "Thousand",
	"TK", "Tank",
	"TN", "Net Ton (2,000 LB)",
	"TO", "Troy Ounce",
	"TY", "Tray",
	"UN", "Unit",
	"VI", "Vial",
	"WK", "Week",
	"YD", "Yard",
	"YR", "Years",
	"ZZ", "Mutually Defined",
)

// codesHLLevel735 is element 735 Hierarchical Level Code (HL03) as used by
// the 856; it also names the levels in HierarchyRule messages.
var codesHLLevel735 = NewCodeList("Hierarchical Level Code (735)",
	"A", "Assembly",
	"B", "Buyer's Location",
	"C", "Date",
	"D", "Product Description",
	"E", "Transportation Equipment",
	"F", "Component",
	"H", "Bill of Materials",
	"I", "Item",
	"J", "Part Characteristic",
	"K", "Kit",
	"L", "Supplier's Location",
	"M", "Measurement",
	"ML", "Manufacturing Level",
	"O", "Order",
	"P", "Pack",
	"PH", "Product Characteristic",
	"Q", "Subpack",
	"S", "Shipment",
	"T", "Shipping Tare",
	"U", "Subassembly",
)

// codesHLStructure1005 is element 1005 Hierarchical Structure Code (BSN05),
// the 004010 list.
var codesHLStructure1005 = func() *CodeList {
	pairs := []string{
		"0001", "Shipment, Order, Packaging, Item",
		"0002", "Shipment, Order, Item, Packaging",
		"0003", "",
		"0004", "Shipment, Order, Item",
		"0005", "",
		"ZZZZ", "Mutually Defined",
	}
	for _, r := range [][2]int{{10, 23}, {35, 36}, {55, 83}, {200, 210}} {
		for n := r[0]; n <= r[1]; n++ {
			pairs = append(pairs, fmt.Sprintf("%04d", n), "")
		}
	}
	return NewCodeList("Hierarchical Structure Code (1005)", pairs...)
}()

// codesItemDescType349 is element 349 Item Description Type (PID01, PKG01).
var codesItemDescType349 = NewCodeList("Item Description Type (349)",
	"F", "Free-form",
	"S", "Structured (From Industry Code List)",
	"X", "Semi-structured (Code and Text)",
)

// codesOrderStatus473 is element 473 Order Status Code (W0501), the complete
// 004010 list.
var codesOrderStatus473 = NewCodeList("Order Status Code (473)",
	"B", "Backorder Original",
	"C", "Confirmation",
	"D", "Delete",
	"E", "Backorder Confirmation",
	"F", "Cancel",
	"G", "Changes to Other than Line Items",
	"L", "Line Item Replace",
	"N", "Original",
	"R", "Change",
	"S", "Future Dated Order",
	"T", "Resubmission",
	"X", "Simulation Exercise",
)

// codesReporting514 is element 514 Reporting Code (W0601), the complete
// 004010 list.
var codesReporting514 = NewCodeList("Reporting Code (514)",
	"A", "Inventory Adjustment, Full Detail",
	"B", "Book Transfer of Inventory, Full Detail",
	"C", "Customer Return - Full Detail",
	"F", "Full Detail",
	"J", "Original Transaction",
	"K", "Simulation Exercise",
	"N", "No Exceptions",
	"O", "Physical Inventory Overage, Full Detail",
	"P", "Production Receipt, Full Detail",
	"R", "Replacement and Charge",
	"S", "Physical Inventory Shortage, Full Detail",
	"X", "Exceptions Only",
	"Y", "Automated Manifest System (AMS) Master-In-Bond Participant",
)

// codesShipStatus368 is element 368 Shipment/Order Status Code (W1201,
// TD506, W2708), the complete 004010 list.
var codesShipStatus368 = NewCodeList("Shipment/Order Status Code (368)",
	"AA", "Multiple Pickup Same Destination",
	"AB", "Available to Ship - Billed Quantity",
	"AN", "Available Now - No Shipping Schedule",
	"AP", "Allocation",
	"AS", "Available Now - Scheduled to Ship (date)",
	"AU", "Available to Ship - Unbilled Quantity",
	"AV", "Available",
	"BK", "Back Ordered from Previous Order",
	"BM", "Backordered, Manufacturer, Out-of-Stock",
	"BO", "Back Ordered",
	"BP", "Shipment Partial, Back Order to Ship on (Date)",
	"BT", "Billed total",
	"BW", "Billed week-to-date",
	"CA", "Customer Inquiry - All Items",
	"CB", "Components Missing",
	"CC", "Shipment Complete on (Date)",
	"CD", "Consolidated Freight",
	"CE", "Shipment Includes Extra Items to Meet Price Break",
	"CF", "Consolidated Load",
	"CI", "Customer Inquiry - Shipped Items Only",
	"CK", "Cancelled from Previous Order",
	"CL", "Complete",
	"CM", "Shipment Complete with Additional Quantity",
	"CN", "Next Carrier Move on (Date)",
	"CO", "Customer Inquiry - Unshipped Items Only",
	"CP", "Partial Shipment on (Date), Considered No Backorder",
	"CS", "Shipment Complete with Substitution",
	"CT", "Combination",
	"CU", "Cancelled Line Item",
	"DA", "Due for Assortment",
	"DD", "Delivered to Destination on (Date)",
	"DE", "Deleted Order",
	"DI", "Discontinued",
	"DO", "Diverted Order",
	"DP", "Dispose",
	"DR", "Dating Requirements",
	"DS", "Out Of Stock Condition",
	"EC", "Equipment Capacity",
	"ED", "Expect to Ship By (Date)",
	"EW", "Expect To Ship Week of (Date)",
	"EX", "Expect to Deliver by",
	"FS", "Units Not Shipped By Agent - To Be Shipped From Factory",
	"HQ", "Held Awaiting Qualification",
	"IC", "Item Canceled",
	"ID", "Insufficient Information",
	"IN", "In Process",
	"IP", "Inquiry by Purchase Order",
	"IS", "Item Represents Substitution from Original Order",
	"LM", "Shipment late",
	"LS", "Last Shipment on (Date)",
	"LW", "", "MC", "", "NF", "", "NN", "", "NS", "", "NY", "", "OB", "",
	"OF", "", "OP", "", "OR", "", "PA", "", "PC", "", "PD", "", "PH", "",
	"PI", "", "PK", "", "PL", "", "PN", "", "PO", "", "PP", "",
	"PR", "Partial Shipment",
	"PS", "", "PT", "", "QN", "", "QP", "", "RC", "", "RD", "", "RI", "",
	"RT", "", "RW", "", "SA", "", "SB", "", "SC", "", "SD", "", "SE", "",
	"SF", "", "SG", "", "SH", "", "SI", "", "SJ", "", "SK", "", "SL", "",
	"SP", "", "SQ", "", "SS", "", "ST", "", "SU", "", "UB", "", "UN", "",
	"UR", "", "WS", "",
	"ZZ", "Mutually Defined",
)

// codesTransport91 is element 91 Transportation Method/Type Code (TD504,
// W2701, W6602), the complete 004010 list.
var codesTransport91 = NewCodeList("Transportation Method/Type Code (91)",
	"6", "", "7", "",
	"A", "Air",
	"AC", "Air Charter",
	"AE", "Air Express",
	"AF", "Air Freight",
	"AH", "", "AR", "",
	"B", "Barge",
	"BP", "",
	"BU", "Bus",
	"C", "Consolidation",
	"CE", "Customer Pickup / Customer's Expense",
	"D", "Parcel Post",
	"DA", "", "DW", "",
	"E", "Expedited Truck",
	"ED", "", "F", "", "FA", "", "FL", "", "GG", "", "GR", "", "GS", "",
	"H", "Customer Pickup",
	"HH", "Household Goods Truck",
	"I", "Common Irregular Carrier",
	"J", "Motor",
	"K", "", "L", "Contract Carrier", "LA", "",
	"LT", "Less Than Trailer Load (LTL)",
	"M", "Motor (Common Carrier)",
	"MB", "", "MP", "", "N", "",
	"O", "Containerized Ocean",
	"P", "Private Carrier",
	"PA", "Pooled Air",
	"PG", "Pooled Piggyback",
	"PL", "Pipeline",
	"PP", "Pool to Pool",
	"PR", "Pooled Rail",
	"PT", "Pooled Truck",
	"Q", "Conventional Ocean",
	"R", "Rail",
	"RC", "Rail, Less than Carload",
	"RR", "",
	"S", "Ocean",
	"SB", "", "SC", "", "SD", "",
	"SE", "Sea/Air",
	"SR", "Supplier Truck",
	"SS", "Steamship",
	"ST", "",
	"T", "Best Way (Shippers Option)",
	"TA", "", "TC", "", "TT", "",
	"U", "Private Parcel Service",
	"VA", "", "VE", "", "VL", "",
	"W", "Inland Waterway",
	"WP", "Water or Pipeline Intermodal Movement",
	"X", "Intermodal (Piggyback)",
	"Y", "Military Official Mail",
	"Y1", "", "Y2", "",
	"ZZ", "Mutually Defined",
)

// codesPayment146 is element 146 Shipment Method of Payment (FOB01, W6601,
// W2704).
var codesPayment146 = NewCodeList("Shipment Method of Payment (146)",
	"BP", "Paid by Buyer",
	"CA", "Advance Collect",
	"CC", "Collect",
	"CD", "Collect on Delivery",
	"CF", "Collect, Freight Credited Back to Customer",
	"DE", "Per Contract",
	"DF", "Defined by Buyer and Seller",
	"FO", "FOB Port of Call",
	"HP", "Half Prepaid",
	"MX", "Mixed",
	"NC", "Service Freight, No Charge",
	"NR", "Non Revenue",
	"PA", "Advance Prepaid",
	"PB", "Customer Pick-up/Backhaul",
	"PC", "Prepaid but Charged to Customer",
	"PD", "Prepaid by Processor",
	"PE", "Prepaid and Summary Bill",
	"PL", "Prepaid Local, Collect Outstate",
	"PO", "Prepaid Only",
	"PP", "Prepaid (by Seller)",
	"PS", "Paid by Seller",
	"PU", "Pickup",
	"RC", "Return Container Freight Paid by Customer",
	"RF", "Return Container Freight Free",
	"RS", "Return Container Freight Paid by Supplier",
	"TP", "Third Party Pay",
	"WC", "Weight Condition",
)

// codesMarks88 is element 88 Marks and Numbers Qualifier (MAN01, MAN04), the
// complete 004010 list.
var codesMarks88 = NewCodeList("Marks and Numbers Qualifier (88)",
	"AA", "",
	"AI", "", "CA", "",
	"CP", "Carrier-Assigned Package ID Number",
	"DZ", "",
	"GM", "SSCC-18 and Application Identifier",
	"L", "Line Item Only",
	"MC", "", "PB", "", "R", "",
	"S", "Entire Shipment",
	"SI", "",
	"SM", "Shipper Assigned",
	"SR", "", "SS", "",
	"UC", "U.P.C. Shipping Container Code",
	"UP", "U.P.C. Consumer Package Code (1-5-5-1)",
	"W", "Pallet Number",
	"X", "",
	"ZZ", "Mutually Defined",
)

// Acknowledgment code lists (x12-reference §6.4).

// codesSetAck717 is element 717 Transaction Set Acknowledgment Code (AK501,
// IK501).
var codesSetAck717 = NewCodeList("Transaction Set Acknowledgment Code (717)",
	"A", "Accepted",
	"E", "Accepted But Errors Were Noted",
	"M", "Rejected, Message Authentication Code (MAC) Failed",
	"R", "Rejected",
	"W", "Rejected, Assurance Failed Validity Tests",
	"X", "Rejected, Content After Decryption Could Not Be Analyzed",
)

// codesGroupAck715 is element 715 Functional Group Acknowledge Code (AK901).
var codesGroupAck715 = NewCodeList("Functional Group Acknowledge Code (715)",
	"A", "Accepted",
	"E", "Accepted, But Errors Were Noted",
	"M", "Rejected, Message Authentication Code (MAC) Failed",
	"P", "Partially Accepted, At Least One Transaction Set Was Rejected",
	"R", "Rejected",
	"W", "Rejected, Assurance Failed Validity Tests",
	"X", "Rejected, Content After Decryption Could Not Be Analyzed",
)

// segmentErrorPairs are the AK304 codes of element 720, shared by IK304.
var segmentErrorPairs = []string{
	"1", "Unrecognized segment ID",
	"2", "Unexpected segment",
	"3", "Required Segment Missing",
	"4", "Loop Occurs Over Maximum Times",
	"5", "Segment Exceeds Maximum Use",
	"6", "Segment Not in Defined Transaction Set",
	"7", "Segment Not in Proper Sequence",
	"8", "Segment Has Data Element Errors",
}

// codesSegmentError720 is element 720 Segment Syntax Error Code (AK304).
var codesSegmentError720 = NewCodeList("Segment Syntax Error Code (720)", segmentErrorPairs...)

// codesSegmentError620 is element 620 Implementation Segment Syntax Error
// Code (IK304): the AK304 codes and the implementation codes.
var codesSegmentError620 = NewCodeList("Implementation Segment Syntax Error Code (620)", joinPairs(segmentErrorPairs,
	"I4", "Implementation \"Not Used\" Segment Present",
	"I6", "Implementation Dependent Segment Missing",
	"I7", "Implementation Loop Occurs Under Minimum Times",
	"I8", "Implementation Segment Below Minimum Use",
	"I9", "Implementation Dependent \"Not Used\" Segment Present",
)...)

// elementErrorPairs004010 are the AK403 codes of element 723 in 004010.
var elementErrorPairs004010 = []string{
	"1", "Required Data Element Missing",
	"2", "Conditional Required Data Element Missing",
	"3", "Too Many Data Elements",
	"4", "Data Element Too Short",
	"5", "Data Element Too Long",
	"6", "Invalid Character In Data Element",
	"7", "Invalid Code Value",
	"8", "Invalid Date",
	"9", "Invalid Time",
	"10", "Exclusion Condition Violated",
}

// elementErrorPairs005010 add the 005010 repetition and component codes.
var elementErrorPairs005010 = joinPairs(elementErrorPairs004010,
	"12", "Too Many Repetitions",
	"13", "Too Many Components",
)

// codesElementError723v4010 is element 723 Data Element Syntax Error Code
// (AK403) in 004010.
var codesElementError723v4010 = NewCodeList("Data Element Syntax Error Code (723)", elementErrorPairs004010...)

// codesElementError723v5010 is element 723 (AK403) in 005010.
var codesElementError723v5010 = NewCodeList("Data Element Syntax Error Code (723)", elementErrorPairs005010...)

// codesElementError621 is element 621 Implementation Data Element Syntax
// Error Code (IK403).
var codesElementError621 = NewCodeList("Implementation Data Element Syntax Error Code (621)", joinPairs(elementErrorPairs005010,
	"I6", "Code Value Not Used in Implementation",
	"I9", "Implementation Dependent Data Element Missing",
	"I10", "Implementation \"Not Used\" Data Element Present",
	"I11", "Implementation Too Few Repetitions",
	"I12", "Implementation Pattern Match Failure",
	"I13", "Implementation Dependent \"Not Used\" Data Element Present",
)...)

// setErrorPairs004010 are the AK502 codes of element 718 in 004010.
var setErrorPairs004010 = []string{
	"1", "Transaction Set Not Supported",
	"2", "Transaction Set Trailer Missing",
	"3", "Transaction Set Control Number in Header and Trailer Do Not Match",
	"4", "Number of Included Segments Does Not Match Actual Count",
	"5", "One or More Segments in Error",
	"6", "Missing or Invalid Transaction Set Identifier",
	"7", "Missing or Invalid Transaction Set Control Number",
	"8", "Authentication Key Name Unknown",
	"9", "Encryption Key Name Unknown",
	"10", "Requested Service (Authentication or Encrypted) Not Available",
	"11", "Unknown Security Recipient",
	"12", "Incorrect Message Length (Encryption Only)",
	"13", "Message Authentication Code Failed",
	"15", "Unknown Security Originator",
	"16", "Syntax Error in Decrypted Text",
	"17", "Security Not Supported",
	"23", "Transaction Set Control Number Not Unique within the Functional Group",
	"24", "S3E Security End Segment Missing for S3S Security Start Segment",
	"25", "S3S Security Start Segment Missing for S3E Security End Segment",
	"26", "S4E Security End Segment Missing for S4S Security Start Segment",
	"27", "S4S Security Start Segment Missing for S4E Security End Segment",
}

// setErrorPairs005010 add the 005010 codes.
var setErrorPairs005010 = joinPairs(setErrorPairs004010,
	"18", "Transaction Set Not in Functional Group",
	"19", "Invalid Transaction Set Implementation Convention Reference",
)

// codesSetError718v4010 is element 718 Transaction Set Syntax Error Code
// (AK502–AK506) in 004010.
var codesSetError718v4010 = NewCodeList("Transaction Set Syntax Error Code (718)", setErrorPairs004010...)

// codesSetError718v5010 is element 718 (AK502–AK506) in 005010.
var codesSetError718v5010 = NewCodeList("Transaction Set Syntax Error Code (718)", setErrorPairs005010...)

// codesSetError618 is element 618 Implementation Transaction Set Syntax
// Error Code (IK502–IK506).
var codesSetError618 = NewCodeList("Implementation Transaction Set Syntax Error Code (618)", joinPairs(setErrorPairs005010,
	"I5", "Implementation One or More Segments in Error",
	"I6", "Implementation Convention Not Supported",
)...)

// groupErrorPairs004010 are the AK905 codes of element 716 in 004010.
var groupErrorPairs004010 = []string{
	"1", "Functional Group Not Supported",
	"2", "Functional Group Version Not Supported",
	"3", "Functional Group Trailer Missing",
	"4", "Group Control Number in the Functional Group Header and Trailer Do Not Agree",
	"5", "Number of Included Transaction Sets Does Not Match Actual Count",
	"6", "Group Control Number Violates Syntax",
	"10", "Authentication Key Name Unknown",
	"11", "Encryption Key Name Unknown",
	"12", "Requested Service (Authentication or Encryption) Not Available",
	"13", "Unknown Security Recipient",
	"14", "Unknown Security Originator",
	"15", "Syntax Error in Decrypted Text",
	"16", "Security Not Supported",
	"17", "Incorrect Message Length (Encryption Only)",
	"18", "Message Authentication Code Failed",
	"23", "S3E Security End Segment Missing for S3S Security Start Segment",
	"24", "S3S Security Start Segment Missing for S3E Security End Segment",
	"25", "S4E Security End Segment Missing for S4S Security Start Segment",
	"26", "S4S Security Start Segment Missing for S4E Security End Segment",
}

// codesGroupError716v4010 is element 716 Functional Group Syntax Error Code
// (AK905–AK909) in 004010.
var codesGroupError716v4010 = NewCodeList("Functional Group Syntax Error Code (716)", groupErrorPairs004010...)

// codesGroupError716v5010 is element 716 (AK905–AK909) in 005010.
var codesGroupError716v5010 = NewCodeList("Functional Group Syntax Error Code (716)", joinPairs(groupErrorPairs004010,
	"19", "Functional Group Control Number not Unique within Interchange",
)...)

// codesInterchangeAck is element I17 Interchange Acknowledgment Code (TA104).
var codesInterchangeAck = NewCodeList("Interchange Acknowledgment Code (I17)",
	"A", "The Transmitted Interchange Control Structure Header and Trailer Have Been Received and Have No Errors",
	"E", "The Transmitted Interchange Control Structure Header and Trailer Have Been Received and Are Accepted But Errors Are Noted",
	"R", "The Transmitted Interchange Control Structure Header and Trailer are Rejected Because of Errors",
)

// codesInterchangeNote is element I18 Interchange Note Code (TA105).
var codesInterchangeNote = NewCodeList("Interchange Note Code (I18)",
	"000", "No error",
	"001", "The Interchange Control Number in the Header and Trailer Do Not Match",
	"002", "This Standard as Noted in the Control Standards Identifier is Not Supported",
	"003", "This Version of the Controls is Not Supported",
	"004", "The Segment Terminator is Invalid",
	"005", "Invalid Interchange ID Qualifier for Sender",
	"006", "Invalid Interchange Sender ID",
	"007", "Invalid Interchange ID Qualifier for Receiver",
	"008", "Invalid Interchange Receiver ID",
	"009", "Unknown Interchange Receiver ID",
	"010", "Invalid Authorization Information Qualifier Value",
	"011", "Invalid Authorization Information Value",
	"012", "Invalid Security Information Qualifier Value",
	"013", "Invalid Security Information Value",
	"014", "Invalid Interchange Date Value",
	"015", "Invalid Interchange Time Value",
	"016", "Invalid Interchange Standards Identifier Value",
	"017", "Invalid Interchange Version ID Value",
	"018", "Invalid Interchange Control Number Value",
	"019", "Invalid Acknowledgment Requested Value",
	"020", "Invalid Test Indicator Value",
	"021", "Invalid Number of Included Groups Value",
	"022", "Invalid Control Structure",
	"023", "Improper (Premature) End-of-File (Transmission)",
	"024", "Invalid Interchange Content (e.g., Invalid GS Segment)",
	"025", "Duplicate Interchange Control Number",
	"026", "Invalid Data Element Separator",
	"027", "Invalid Component Element Separator",
	"028", "Invalid Delivery Date in Deferred Delivery Request",
	"029", "Invalid Delivery Time in Deferred Delivery Request",
	"030", "Invalid Delivery Time Code in Deferred Delivery Request",
	"031", "Invalid Grade of Service Code",
)

// codeSet builds a list of every code of the space-separated set, plus the
// code/meaning pairs, which supply meanings (and may add codes).
func codeSet(name, set string, pairs ...string) *CodeList {
	codes := strings.Fields(set)
	all := make([]string, 0, 2*len(codes)+len(pairs))
	for _, c := range codes {
		all = append(all, c, "")
	}
	return NewCodeList(name, append(all, pairs...)...)
}

// numberedCodeList builds a list that accepts every zero-padded number from
// 1 to last in width digits, plus the given code/meaning pairs (which also
// supply the meanings of numbered codes).
func numberedCodeList(name string, width, last int, pairs ...string) *CodeList {
	all := make([]string, 0, 2*last+len(pairs))
	for n := 1; n <= last; n++ {
		all = append(all, fmt.Sprintf("%0*d", width, n), "")
	}
	return NewCodeList(name, append(all, pairs...)...)
}

// joinPairs returns a new slice holding base followed by more, leaving base
// untouched.
func joinPairs(base []string, more ...string) []string {
	out := make([]string, 0, len(base)+len(more))
	return append(append(out, base...), more...)
}

// The complete 004010 code sets of the open-ended lists above.

// codeSet98 holds every 004010 code of element 98 Entity Identifier Code.
const codeSet98 = "" +
	"001 002 003 004 005 006 007 01 02 03 04 05 06 07 08 09 0A 0B 0D 0E 0F 0H 10 11 12 13 " +
	"14 15 16 17 18 19 1A 1B 1C 1D 1E 1F 1G 1H 1I 1J 1K 1L 1M 1N 1O 1P 1Q 1R 1S 1T 1U 1V 1W " +
	"1X 1Y 1Z 20 21 22 23 24 25 26 27 28 29 2A 2B 2C 2D 2E 2F 2G 2H 2I 2J 2K 2L 2M 2N 2O 2P " +
	"2Q 2R 2S 2T 2U 2V 2W 2X 2Y 2Z 30 31 32 33 34 35 36 37 38 39 3A 3B 3C 3D 3E 3F 3G 3H 3I " +
	"3J 3K 3L 3M 3N 3O 3P 3Q 3R 3S 3T 3U 3V 3W 3X 3Y 3Z 40 41 42 43 44 45 46 47 48 49 4A 4B " +
	"4C 4D 4E 4F 4G 4H 4I 4J 4K 4L 4M 4N 4O 4P 4Q 4R 4S 4T 4U 4V 4W 4X 4Y 4Z 50 51 52 53 54 " +
	"55 56 57 58 59 5A 5B 5C 5D 5E 5F 5G 5H 5I 5J 5K 5L 5M 5N 5O 5P 5Q 5R 5S 5T 5U 5V 5W 5X " +
	"5Y 5Z 60 61 62 63 64 65 66 67 68 69 6A 6B 6C 6D 6E 6F 6G 6H 6I 6J 6K 6L 6M 6N 6O 6P 6Q " +
	"6R 6S 6T 6U 6V 6W 6X 6Y 6Z 70 71 72 73 74 75 76 77 78 79 7A 7B 7C 7D 7E 7F 7G 7H 7I 7J " +
	"7K 7L 7M 7N 7O 7P 7Q 7R 7S 7T 7U 7V 7W 7X 7Y 7Z 80 81 82 83 84 85 86 87 88 89 8A 8B 8C " +
	"8D 8E 8F 8G 8H 8I 8J 8K 8L 8M 8N 8O 8P 8Q 8R 8S 8T 8U 8V 8W 8X 8Y 8Z 90 91 92 93 94 95 " +
	"96 97 98 99 9A 9B 9C 9D 9E 9F 9G 9H 9I 9J 9K 9L 9N 9O 9P 9Q 9R 9S 9T 9U 9V 9W 9X 9Y 9Z " +
	"A1 A2 A3 A4 A5 A6 A7 A8 A9 AA AAA AAB AAC AAD AAE AAF AAG AAH AAI AAJ AAK AAL AAM AAN " +
	"AAO AAP AAQ AAS AAT AAU AAV AB ABB ABC ABD ABE ABF ABG ABH ABI ABJ ABK ABL ABM AC AD " +
	"AE AF AG AH AI AJ AK AL ALA AM AN AO AP AQ AR AS AT AU AV AW AX AY AZ B1 B2 B3 B4 B5 " +
	"B6 B7 B8 B9 BA BAL BB BC BD BE BF BG BH BI BJ BK BKR BL BM BN BO BP BQ BR BRN BS BT BU " +
	"BUS BV BW BX BY BZ C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF CG CH CI CJ CK CL CM " +
	"CMW CN CO COL COR CP CQ CR CS CT CU CV CW CX CY CZ D1 D2 D3 D4 D5 D6 D7 D8 D9 DA DB DC " +
	"DCC DD DE DF DG DH DI DIR DJ DK DL DM DN DO DP DQ DR DS DT DU DV DW DX DY DZ E1 E2 E3 " +
	"E4 E5 E6 E7 E8 E9 EA EB EC ED EE EF EG EH EI EJ EK EL EM EN ENR EO EP EQ ER ES ET EU " +
	"EV EW EX EXS EY EZ F1 F2 F3 F4 F5 F6 F7 F8 F9 FA FB FC FD FE FF FG FH FI FJ FL FM FN " +
	"FO FP FQ FR FRL FS FSR FT FU FV FW FX FY FZ G0 G1 G2 G3 G5 G6 G7 G8 G9 GA GB GC GD GE " +
	"GF GG GH GI GIR GJ GK GL GM GN GO GP GQ GR GS GT GU GV GW GX GY GZ H1 H2 H3 H5 H6 H7 " +
	"H8 H9 HA HB HC HD HE HF HG HH HI HJ HK HL HM HMI HN HO HOM HP HQ HR HS HT HU HV HW HX " +
	"HY HZ I1 I3 I4 I9 IA IAA IAC IAD IAE IAF IAG IAH IAI IAK IAL IAM IAN IAO IAP IAQ IAR " +
	"IAS IAT IAU IAV IAW IAY IAZ IB IC ID IE IF II IJ IK IL IM IN INV IO IP IQ IR IS IT IU " +
	"IV J1 J2 J3 J4 J5 J6 J7 J8 J9 JA JB JC JD JE JF JG JH JI JJ JK JL JM JN JO JP JQ JR JS " +
	"JT JU JV JW JX JY JZ K1 K2 K3 K4 K5 K6 K7 K8 K9 KA KB KC KD KE KF KG KH KI KJ KK KL KM " +
	"KN KO KP KQ KR KS KT KU KV KW KX KY KZ L1 L2 L3 L5 L8 L9 LA LB LC LD LE LF LG LGS LH " +
	"LI LJ LK LL LM LN LO LP LQ LR LS LT LU LV LW LY LYM LYN LYO LYP LZ M1 M2 M3 M4 M5 M6 " +
	"M7 M8 M9 MA MB MC MD ME MF MG MH MI MJ MK ML MM MN MO MP MQ MR MS MSC MT MU MV MW MX " +
	"MY MZ N1 N2 N3 N4 N5 N6 N7 N8 N9 NB NC NCT ND NE NF NG NH NI NJ NK NL NM NN NP NPC NQ " +
	"NR NS NT NU NV NW NX NY NZ O1 O2 O3 O4 O5 O6 O7 O8 OA OB OC OD OE OF OG OH OI OK OL OM " +
	"ON OO OP OR ORI OS OT OU OV OW OX OY OZ P0 P1 P2 P3 P4 P5 P6 P7 P8 P9 PA PB PC PD PE " +
	"PF PG PH PI PJ PK PL PLR PM PMF PN PO PP PPS PQ PR PRE PRP PS PT PU PUR PV PW PX PY PZ " +
	"Q1 Q2 Q3 Q4 Q5 Q6 Q7 Q8 Q9 QA QB QC QD QE QF QG QH QI QJ QK QL QM QN QO QP QQ QR QS QT " +
	"QU QV QW QX QY QZ R0 R1 R2 R3 R4 R5 R6 R7 R8 R9 RA RB RC RCR RD RE REC RF RG RGA RH RI " +
	"RJ RK RL RM RN RO RP RQ RR RS RT RU RV RW RX RY RZ S0 S1 S2 S3 S4 S5 S6 S7 S8 S9 SA SB " +
	"SC SD SE SEP SF SG SH SI SJ SK SL SM SN SO SP SQ SR SS ST SU SV SW SX SY SZ T1 T2 T3 " +
	"T4 T6 T8 T9 TA TB TC TD TE TF TG TH TI TJ TK TL TM TN TO TP TPM TQ TR TS TSE TSR TT " +
	"TTP TU TV TW TX TY TZ U1 U2 U3 U4 U5 U6 U7 U8 U9 UA UB UC UD UE UF UG UH UI UJ UK UL " +
	"UM UN UO UP UQ UR US UT UU UW UX UY UZ V1 V2 V3 V4 V5 V6 V8 V9 VA VB VC VD VE VF VG VH " +
	"VI VJ VK VL VM VN VO VP VQ VR VS VT VU VV VW VX VY VZ W1 W2 W3 W4 W8 W9 WA WB WC WD WE " +
	"WF WG WH WI WJ WL WN WO WP WR WS WT WU WV WW WX WY WZ X1 X2 X3 X4 X5 X6 X7 X8 XA XC XD " +
	"XE XF XG XH XI XJ XK XL XM XN XO XP XQ XR XS XT XU XV XW XX XY XZ Y2 YA YB YC YD YE YF " +
	"YG YH YI YJ YK YL YM YN YO YP YQ YR YS YT YU YV YW YX YY YZ Z1 Z2 Z3 Z4 Z5 Z6 Z7 Z8 Z9 " +
	"ZA ZB ZC ZD ZE ZF ZG ZH ZJ ZK ZL ZM ZN ZO ZP ZQ ZR ZS ZT ZU ZV ZW ZX ZY ZZ"

// codeSet66 holds every 004010 code of element 66 Identification Code Qualifier.
const codeSet66 = "" +
	"1 10 11 12 13 14 15 16 17 18 19 2 20 21 22 23 24 25 26 27 28 29 3 30 31 32 33 34 35 36 " +
	"37 38 39 4 40 41 42 43 44 45 46 47 48 49 5 50 53 54 55 56 57 58 59 6 61 62 63 64 7 71 " +
	"72 73 74 75 76 77 78 8 81 82 9 90 91 92 93 94 95 96 97 98 99 A A1 A2 A3 A4 A5 A6 AA AB " +
	"AC AD AE AL AP BC BD BE BG BP BS C C1 C2 C5 CA CB CC CD CE CF CI CL CM CP CR CS CT D " +
	"DG DL DN DP DS E EC EH EI EP EQ ER ES F FA FB FC FD FI FJ FN G GA GC HC HN I J K L LC " +
	"LD LE LI LN M3 M4 M5 M6 MA MB MC MD MI MK ML MN MP MR N NA ND NI NO OC OP PA PB PC PI " +
	"PP PR RA RB RC RD RE RT S SA SB SD SF SI SJ SL SP ST SV SW TA TC TZ UC UL UM UP UR US " +
	"WR XV XX ZC ZN ZY ZZ"

// codeSet235 holds every 004010 code of element 235 Product/Service ID Qualifier.
const codeSet235 = "" +
	"A1 A2 A3 A4 A5 A6 A7 A8 A9 AA AB AC AD AE AF AG AH AI AJ AK AL AM AN AO AP AQ AR AS AT " +
	"AU AV AW AX AY AZ B1 B2 B3 B4 B5 B6 B7 B8 B9 BA BB BC BD BE BF BG BH BI BJ BK BL BM BN " +
	"BO BP BQ BR BS BT BU BV BW BX BY BZ C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF CG CH " +
	"CI CJ CK CL CM CN CO CP CQ CR CS CT CU CV CW CX CY CZ D1 D2 D3 D4 D5 DD DE DF DG DI DL " +
	"DM DN DO DP DQ DR DS DT DU DV DW DX DY DZ E1 E2 E3 E4 E5 E6 EA EB EC ED EE EF EG EH EI " +
	"EJ EK EL EM EN EP EQ ER ES EU EX EZ F1 F2 F3 F4 F5 F6 F7 F8 F9 FA FB FC FD FE FF FG FI " +
	"FL FM FN FP FS FT FW GA GC GD GE GI GK GN GQ GR GS GU HC HD HI HN IA IB IC ID IE IF IG " +
	"IM IN IP IQ IR IS IT IV IW IZ JA JB JC JD JN JP JS KA KB KD KE KF KG KI KJ KK KL KM KN " +
	"KP L1 L2 L3 L4 L5 LA LB LC LD LG LP LR LS LT LU MA MB MC MD ME MF MG MH MI MJ MK MM MN " +
	"MO MP MQ MR MS MT MU MV MW MX N1 N2 N3 N4 N5 N6 NC ND NE NH NM NR NU NW NZ OA OB OC OD " +
	"OE OF OG OH OI OL ON OO OP OR OT P1 P2 P3 P4 P5 P7 P8 P9 PA PB PC PD PE PF PG PH PI PJ " +
	"PK PL PM PN PO PP PQ PR PS PT PU PV PW PX PY PZ R1 R2 RA RB RC RD RE RF RG RH RI RJ RK " +
	"RL RM RN RO RP RR RS RT RU RV RW RY RZ S2 S3 S4 S5 S6 S7 S8 SA SB SC SD SE SF SG SH SI " +
	"SJ SK SL SM SN SO SP SQ SR SS ST SU SV SW SX SY SZ T2 T3 TA TB TC TD TE TF TG TH TI TJ " +
	"TM TN TP TR TS TT TU TV TW TX TY TZ U2 U3 U5 U6 UA UB UC UD UE UF UG UH UI UJ UK UL UM " +
	"UN UO UP UQ UR US UT UV UX VA VB VC VE VI VM VN VO VP VS VT VU VV VX W1 W2 W5 W6 W7 WA " +
	"WC WL WR WS XA XC XP XQ XZ YP ZB ZR ZZ"

// codeSet355 holds every 004010 code of element 355 Unit or Basis for Measurement Code.
const codeSet355 = "" +
	"01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F 1G 1H 1I 1J " +
	"1K 1L 1M 1N 1O 1P 1Q 1R 1X 20 21 22 23 24 25 26 27 28 29 2A 2B 2C 2F 2G 2H 2I 2J 2K 2L " +
	"2M 2N 2P 2Q 2R 2U 2V 2W 2X 2Y 2Z 30 31 32 33 34 35 36 37 38 39 3B 3C 3E 3F 3G 3H 3I 40 " +
	"41 43 44 45 46 47 48 4A 4B 4C 4D 4E 4F 4G 4H 4I 4J 4K 4L 4M 4N 4O 4P 4Q 4R 4S 4T 4U 4V " +
	"4W 4X 50 51 52 53 54 56 57 58 59 5A 5B 5C 5E 5F 5G 5H 5I 5J 5K 5P 5Q 60 61 62 63 64 65 " +
	"66 67 68 69 70 71 72 73 74 76 77 78 79 80 81 82 83 84 85 86 87 89 8C 8D 8P 8R 8S 8U 90 " +
	"91 92 93 94 95 96 97 98 99 A8 AA AB AC AD AE AF AG AH AI AJ AK AL AM AN AO AP AQ AR AS " +
	"AT AU AV AW AX AY AZ B0 B1 B2 B3 B4 B5 B6 B7 B8 B9 BA BB BC BD BE BF BG BH BI BJ BK BL " +
	"BM BN BO BP BQ BR BS BT BU BV BW BX BY BZ C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE " +
	"CF CG CH CI CJ CK CL CM CN CO CP CQ CR CS CT CU CV CW CX CY CZ D2 D3 D5 D8 D9 DA DB DC " +
	"DD DE DF DG DH DI DJ DK DL DM DN DO DP DQ DR DS DT DU DW DX DY DZ E1 E3 E4 E5 E7 E8 E9 " +
	"EA EB EC ED EE EF EG EH EJ EM EP EQ EV EX EY EZ F1 F2 F3 F4 F5 F6 F9 FA FB FC FD FE FF " +
	"FG FH FJ FK FL FM FO FP FR FS FT FZ G2 G3 G4 G5 G7 GA GB GC GD GE GF GG GH GI GJ GK GL " +
	"GM GN GO GP GQ GR GS GT GU GV GW GX GY GZ H1 H2 H4 HA HB HC HD HE HF HG HH HI HJ HK HL " +
	"HM HN HO HP HQ HR HS HT HU HV HW HY HZ IA IB IC IE IF IH II IK IL IM IN IP IT IU IV IW " +
	"J2 JA JB JE JG JK JM JO JR JU K1 K2 K3 K4 K5 K6 K7 K9 KA KB KC KD KE KF KG KH KI KJ KK " +
	"KL KM KO KP KQ KR KS KT KU KV KW KX L2 LA LB LC LE LF LG LH LI LJ LK LL LM LN LO LP LQ " +
	"LR LS LT LX LY M0 M1 M2 M3 M4 M5 M6 M7 M8 M9 MA MB MC MD ME MF MG MH MI MJ MK ML MM MN " +
	"MO MP MQ MR MS MT MU MV MW MX MY MZ N1 N2 N3 N4 N6 N7 N9 NA NB NC ND NE NF NG NH NI NJ " +
	"NL NM NN NQ NR NS NT NU NV NW NX NY OA OC ON OP OT OZ P0 P1 P2 P3 P4 P5 P6 P7 P8 P9 PA " +
	"PB PC PD PE PF PG PH PI PJ PK PL PM PN PO PP PQ PR PS PT PU PV PW PX PY PZ Q1 Q2 Q3 Q4 " +
	"Q5 Q6 Q7 QA QB QC QD QE QH QK QR QS QT QU R1 R2 R3 R4 R5 R6 R7 R8 R9 RA RB RC RD RE RG " +
	"RH RK RL RM RN RO RP RS RT RU S1 S2 S3 S4 S5 S6 S7 S8 S9 SA SB SC SD SE SF SG SH SI SJ " +
	"SK SL SM SN SO SP SQ SR SS ST SV SW SX SY SZ T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 TA TB TC TD " +
	"TE TF TG TH TI TJ TK TL TM TN TO TP TQ TR TS TT TU TV TW TX TY TZ U1 U2 U3 U5 UA UB UC " +
	"UD UE UF UH UL UM UN UP UQ UR US UT UU UV UW UX UY UZ V1 V2 VA VC VI VP VR VS W2 WA WB " +
	"WD WE WG WH WI WK WM WP WR WW X1 X2 X3 X4 X5 X6 X7 X8 X9 XP Y1 Y2 Y3 Y4 YD YL YR YT Z1 " +
	"Z2 Z3 Z4 Z5 Z6 Z8 ZA ZB ZC ZP ZZ"
