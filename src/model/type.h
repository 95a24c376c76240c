// UserType: an enum, domain, composite or range type defined in a tenant schema. Value type.
#pragma once

#include <string>
#include <vector>

#include "model/dependency_ref.h"
#include "model/object_name.h"

namespace tenantshift {

struct TypeAttribute {  // one attribute of a composite type
  std::string name;
  std::string type;       // as format_type() prints it, schema-qualified when needed
  std::string collation;  // qualified collation name, empty for the type's default

  bool operator==(const TypeAttribute&) const = default;
};

struct DomainConstraint {
  std::string name;
  std::string definition;  // as pg_get_constraintdef() prints it, e.g. "CHECK ((VALUE > 0))"
  std::string comment;     // empty when none

  bool operator==(const DomainConstraint&) const = default;
};

struct UserType {
  enum class Kind { kEnum, kDomain, kComposite, kRange };

  QualifiedName name;
  Kind kind = Kind::kEnum;
  std::string owner;
  std::string comment;
  std::vector<std::string> enum_labels;         // kEnum: labels in sort order
  std::string base_type;                        // kDomain: underlying type; kRange: subtype
  std::string domain_default;                   // kDomain: default expression or empty
  bool domain_not_null = false;                 // kDomain
  std::string collation;                        // kDomain, kRange: non-default collation or empty
  std::vector<DomainConstraint> domain_checks;  // kDomain
  std::vector<TypeAttribute> attributes;        // kComposite
  // kRange (CREATE TYPE ... AS RANGE): SUBTYPE_OPCLASS when not the default one, SUBTYPE_DIFF,
  // MULTIRANGE_TYPE_NAME (schema-qualified); empty when not set.
  std::string range_opclass;
  std::string range_subdiff;
  std::string range_multirange;
  // Tenant types this one needs first (domain base, composite attributes), by name.
  std::vector<QualifiedName> depends_on;
  // Routines its default and CHECKs call (kDomain), from pg_depend: they must exist first.
  std::vector<DependencyRef> routines;

  bool operator==(const UserType&) const = default;
};

}  // namespace tenantshift
