extension JSONSchemaDifferenceType {
    /// A sentence in the style of Confluent's difference descriptions (grouped templates), with
    /// `update` and `original` naming the two schemas ("new", "version 2"), plus a hint where
    /// the fix is not obvious.
    public func message(path: String, update: String, original: String) -> String {
        switch self {
        case .schemaAdded, .maxLengthAdded, .minLengthAdded, .patternAdded, .maximumAdded, .minimumAdded,
             .exclusiveMaximumAdded, .exclusiveMinimumAdded, .multipleOfAdded, .maxPropertiesAdded, .minPropertiesAdded,
             .maxItemsAdded, .minItemsAdded, .maxContainsAdded, .minContainsAdded, .uniqueItemsAdded,
             .dependencyArrayAdded, .dependencySchemaAdded, .requiredAttributeAdded,
             .additionalPropertiesNarrowed, .additionalItemsNarrowed, .unevaluatedPropertiesNarrowed, .unevaluatedItemsNarrowed:
            return "The keyword at path '\(path)' in the \(update) schema is not present in the \(original) schema"
        case .additionalPropertiesRemoved, .additionalItemsRemoved, .unevaluatedPropertiesRemoved, .unevaluatedItemsRemoved:
            return "The \(update) schema forbids at path '\(path)' what the \(original) schema allows"
        case .minLengthIncreased, .minimumIncreased, .exclusiveMinimumIncreased, .minPropertiesIncreased, .minItemsIncreased, .minContainsIncreased:
            return "The value at path '\(path)' in the \(update) schema is more than its value in the \(original) schema"
        case .maxLengthDecreased, .maximumDecreased, .exclusiveMaximumDecreased, .maxPropertiesDecreased, .maxItemsDecreased, .maxContainsDecreased:
            return "The value at path '\(path)' in the \(update) schema is less than its value in the \(original) schema"
        case .patternChanged, .multipleOfExpanded, .multipleOfChanged, .enumArrayChanged, .dependencyArrayExtended,
             .dependencyArrayChanged, .combinedTypeChanged:
            return "The value at path '\(path)' is different between the \(update) and \(original) schema"
        case .enumArrayNarrowed, .sumTypeNarrowed:
            return "An array or combined type at path '\(path)' has fewer elements in the \(update) schema than the \(original) schema"
        case .productTypeExtended:
            return "An array or combined type at path '\(path)' has more elements in the \(update) schema than the \(original) schema"
        case .typeChanged, .typeNarrowed, .combinedTypeSubschemasChanged, .notTypeExtended:
            return "A type at path '\(path)' is different between the \(update) schema and the \(original) schema"
        case .propertyAddedToOpenContentModel, .requiredPropertyAddedToOpenContentModel, .requiredPropertyWithDefaultAddedToOpenContentModel,
             .optionalPropertyAddedToOpenContentModel, .itemAddedToOpenContentModel:
            return "The \(original) schema has an open content model and the \(update) schema declares a property or item at path '\(path)' that it does not "
                + "(data valid for the \(original) schema may hold anything there: close the \(original) schema with additionalProperties: false, "
                + "cover the name with patternProperties, or use the LENIENT policy)"
        case .requiredPropertyAddedToUnopenContentModel:
            return "The \(update) schema has a required property at path '\(path)' without a default, missing in the \(original) schema "
                + "(give it a default or make it optional)"
        case .propertyRemovedFromClosedContentModel, .itemRemovedFromClosedContentModel:
            return "The \(update) schema has a closed content model and lacks a property or item present at path '\(path)' in the \(original) schema "
                + "(keep it declared, or declare it false if it must never appear)"
        case .propertyRemovedNotCoveredByPartiallyOpenContentModel, .itemRemovedNotCoveredByPartiallyOpenContentModel:
            return "A property or item at path '\(path)' in the \(original) schema is missing in the \(update) schema and is not covered by its partially open content model"
        case .propertyAddedNotCoveredByPartiallyOpenContentModel, .itemAddedNotCoveredByPartiallyOpenContentModel:
            return "A property or item at path '\(path)' in the \(update) schema is missing in the \(original) schema and is not covered by its partially open content model"
        case .reservedPropertyRemoved:
            return "The \(update) schema no longer reserves a property that the \(original) schema reserves at path '\(path)'"
        case .reservedPropertyConflictsWithProperty:
            return "The \(update) schema declares a reserved property at path '\(path)'"
        default:
            return rawValue.lowercased().replacing("_", with: " ").capitalizedFirst + " at path '\(path)' (\(original) → \(update))"
        }
    }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
