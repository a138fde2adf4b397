from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from aims.orgs.permissions import ROLE_HELP, Role

ROLE_CHOICES = [(r.value, f"{r.label} — {ROLE_HELP[r]}") for r in Role]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccessDatesForm(forms.Form):
    starts_on = forms.DateField(
        required=False, label="Access starts on", widget=DATE,
        help_text="Leave empty for access from the day they accept. Before this day the "
                  "membership grants nothing.")
    ends_on = forms.DateField(
        required=False, label="Access ends on", widget=DATE,
        help_text="The last day of access, included. Required for the auditor role (an "
                  "external auditor's access lapses by itself); leave empty for other roles "
                  "to keep access open.")


class InvitationForm(AccessDatesForm):
    email = forms.EmailField(
        label="E-mail address", max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text="We e-mail a link to this address. The person creates an account or signs "
                  "in with this address, then accepts or declines; until then they see "
                  "nothing of this organisation and it sees nothing of theirs.")
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.VIEWER,
                             widget=forms.RadioSelect,
                             help_text="What they may do here once they accept. Only owners "
                                       "invite owners.")
    field_order = ["email", "role", "starts_on", "ends_on"]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberEditForm(AccessDatesForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect,
                             help_text="Only owners grant or remove the owner role.")
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["role", "starts_on", "ends_on", "version"]


class OrgCreateForm(forms.Form):
    name = forms.CharField(max_length=200, label="Organisation name",
                           help_text="The legal or trading name, e.g. a client you advise.")
    slug = forms.SlugField(max_length=50, label="Short name in addresses",
                           help_text="Lowercase letters, digits and hyphens; used in links "
                                     "such as /o/<short-name>/. Cannot be changed later.")


class SecurityForm(forms.Form):
    require_mfa = forms.BooleanField(
        required=False, label="Require two-factor authentication for every member",
        help_text="Members without an authenticator app are sent to set one up before they "
                  "can open this organisation, and its API refuses their calls until they "
                  "have. Set one up on your own account first.")
    version = forms.IntegerField(widget=forms.HiddenInput)


class InvitedSignUpForm(forms.Form):
    """A new account for the invited address: a name and a password (the instance's password
    rules apply). The address is the invitation's, so it is not asked for."""

    full_name = forms.CharField(max_length=200, label="Your name",
                                widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                help_text="How colleagues will see you in aims.")
    password1 = forms.CharField(label="Password", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validators_help_text_html())
    password2 = forms.CharField(label="Password again", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text="Type it once more, to catch a typing mistake.")

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and \
                data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return data
