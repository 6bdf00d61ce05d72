// Field normalisation shared by every reader: see normalise.h.
#include "importer/normalise.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <optional>

#include "core/text.h"

namespace carefinder::importer {

namespace {

using text::Quoted;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Keypad letters, so a printed vanity number (1-800-662-HELP) dials correctly.
char KeypadDigit(char c) {
  static constexpr std::string_view kKeys = "22233344455566677778889999";
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return (c >= 'a' && c <= 'z') ? kKeys[c - 'a'] : '\0';
}

// Splits "800-474-4848 x3026" / "ext. 3026" / "extension 3026" / "#3026".
void SplitExtension(std::string_view text, std::string_view& number, std::string& ext) {
  std::string lower = text::ToLower(text);
  for (std::string_view marker : {"extension", "ext.", "ext", " x", "x", "#"}) {
    size_t at = lower.rfind(marker);
    if (at == std::string::npos || at == 0) continue;
    std::string_view rest = text::Trim(text.substr(at + marker.size()));
    if (rest.empty() || !std::all_of(rest.begin(), rest.end(), IsDigit)) continue;
    number = text::Trim(text.substr(0, at));
    ext = std::string(rest);
    return;
  }
  number = text::Trim(text);
}

std::string DisplayForm(std::string_view ten) {
  return "(" + std::string(ten.substr(0, 3)) + ") " + std::string(ten.substr(3, 3)) + "-" +
         std::string(ten.substr(6));
}

}  // namespace

Result<Phone> ParsePhone(std::string_view text, std::string_view role) {
  std::string_view number;
  Phone phone;
  phone.role = std::string(role);
  SplitExtension(text, number, phone.extension);
  std::string digits;
  bool letters = false;
  for (char c : number) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (char k = KeypadDigit(c); k != '\0') {
      digits.push_back(k);
      letters = true;
    } else if (!std::string_view(" ()-.+/").contains(c)) {
      return Fail(Error::Invalid(Quoted(text) + " is not a US phone number"));
    }
  }
  bool short_code = !letters && ((digits.size() == 3 && digits[1] == '1' && digits[2] == '1' &&
                                  digits[0] >= '2') || digits == "988");
  if (short_code) {
    if (role != "hotline") {
      return Fail(Error::Invalid("short code " + Quoted(digits) +
                                 " is allowed only for role 'hotline'"));
    }
    phone.display = digits;
    return phone;
  }
  if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
  // NANP: area code and exchange start with 2-9.
  if (digits.size() != 10 || digits[0] < '2' || digits[3] < '2') {
    return Fail(Error::Invalid(Quoted(text) + " is not a US phone number"));
  }
  phone.e164 = "+1" + digits;
  phone.display = DisplayForm(digits);
  return phone;
}

Result<std::vector<Phone>> ParsePhones(std::string_view list) {
  static constexpr std::array<std::string_view, 6> kRoles = {"main", "intake", "hotline",
                                                             "fax",  "tty",    "sms"};
  std::vector<Phone> phones;
  for (const auto& item : text::SplitList(list, ';')) {
    std::string_view entry = item;
    std::string role = "main";
    if (size_t colon = entry.find(':'); colon != std::string_view::npos) {
      role = text::ToLower(text::Trim(entry.substr(0, colon)));
      entry = text::Trim(entry.substr(colon + 1));
      if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end()) {
        return Fail(Error::Invalid(Quoted(role) +
                                   " is not a phone role (main, intake, hotline, fax, tty, sms)"));
      }
    }
    auto phone = ParsePhone(entry, role);
    if (!phone) return Fail(phone.error());
    phones.push_back(std::move(*phone));
  }
  return phones;
}

Result<std::string> NormalizeZip(std::string_view zip) {
  std::string_view z = text::Trim(zip);
  if (z.size() == 10 && z[5] == '-') {
    std::string_view plus4 = z.substr(6);
    if (std::all_of(plus4.begin(), plus4.end(), IsDigit)) z = z.substr(0, 5);
  }
  bool digits = !z.empty() && std::all_of(z.begin(), z.end(), IsDigit);
  if (!digits || z.size() < 3 || z.size() > 5) {
    return Fail(Error::Invalid(Quoted(zip) + " is not a 5-digit ZIP code"));
  }
  return std::string(5 - z.size(), '0') + std::string(z);
}

Result<std::string> CheckUrl(std::string_view url) {
  std::string_view u = text::Trim(url);
  std::string lower = text::ToLower(u);
  size_t scheme_end = lower.find("://");
  std::string_view scheme = std::string_view(lower).substr(0, scheme_end);
  if (scheme_end == std::string::npos || (scheme != "http" && scheme != "https")) {
    return Fail(Error::Invalid(Quoted(url) + " is not an http or https URL"));
  }
  std::string_view rest = std::string_view(lower).substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.contains('@')) {
    return Fail(Error::Invalid(Quoted(url) + " contains credentials"));
  }
  if (authority.empty() || !authority.contains('.') || u.find_first_of(" \t\"<>") != std::string::npos) {
    return Fail(Error::Invalid(Quoted(url) + " is not an http or https URL"));
  }
  // A link into a site's back office is a data-entry slip and a security smell.
  std::string_view path = rest.substr(authority.size());
  for (std::string_view admin : {"/wp-admin", "/wp-login", "/admin", "/administrator", "/user/login"}) {
    size_t at = path.find(admin);
    if (at != std::string_view::npos &&
        (at + admin.size() == path.size() || std::string_view("/?#.").contains(path[at + admin.size()]))) {
      return Fail(Error::Invalid(Quoted(url) + " links to an admin page"));
    }
  }
  return std::string(u);
}

Result<std::string> CheckEmail(std::string_view email) {
  std::string_view e = text::Trim(email);
  size_t at = e.find('@');
  bool ok = at != std::string_view::npos && at > 0 && e.find('@', at + 1) == std::string_view::npos &&
            e.substr(at + 1).contains('.') && e.back() != '.' &&
            e.find_first_of(" \t,;<>\"") == std::string_view::npos;
  if (!ok) return Fail(Error::Invalid(Quoted(email) + " is not an e-mail address"));
  return std::string(e);
}

Result<double> ParseDegrees(std::string_view text, double limit) {
  std::string_view t = text::Trim(text);
  auto v = text::ParseDouble(t);
  if (!v) return Fail(Error::Invalid(Quoted(text) + " is not a number"));
  if (*v < -limit || *v > limit) {
    char range[32];
    std::snprintf(range, sizeof range, " (%g to %g)", -limit, limit);
    return Fail(Error::Invalid(std::string(t) + " is out of range" + range));
  }
  return *v;
}

Status CheckUtf8(std::string_view text) {
  auto at = text::FindInvalidUtf8(text);
  if (!at) return {};
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*at]));
  return Fail(Error::Invalid("invalid UTF-8 at byte " + std::to_string(*at + 1) + " (" + hex +
                             "): save the file as UTF-8"));
}

std::string KeySlug(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      if (gap && !out.empty()) out.push_back('-');
      gap = false;
      out.push_back(text::AsciiLower(c));
    } else {
      gap = true;
    }
  }
  return out;
}

}  // namespace carefinder::importer
