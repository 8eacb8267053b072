from .common import AiBridgeCommon


class TestAiPromptVersions(AiBridgeCommon):
    def test_editing_the_text_makes_a_new_version(self):
        self.assertEqual(self.prompt.version, 1)
        self.prompt.name = "Renamed"
        self.assertEqual(self.prompt.version, 1, "the name is not part of the prompt")
        self.prompt.system_text = "Classify the company carefully."
        self.assertEqual(self.prompt.version, 2)
        self.assertEqual(
            self.prompt.version_ids.mapped("system_text"), ["Classify the company carefully.", "Classify the company."]
        )

    def test_decisions_keep_the_version_they_used(self):
        with self.mock_claude(self._answer("Food Retail", 0.5)):
            first = self._run_action()
            self._process_outbox()
        self.prompt.user_template = "Company name: {{ object.name }}"
        other = self.env["res.partner"].create({"name": "Other Co"})
        with self.mock_claude(self._answer("Food Retail", 0.5)) as claude:
            second = self._run_action(other)
            self._process_outbox()
        self.assertEqual((first.prompt_version_id.version, second.prompt_version_id.version), (1, 2))
        self.assertEqual(claude.requests[0].user_content, "Company name: Other Co")
        self.assertEqual(first.user_content, "Company: Acme Construction Works Ltd")

    def test_a_redelivered_job_changes_nothing(self):
        with self.mock_claude(self._answer("Construction Works", 0.97)) as claude:
            decision = self._run_action()
            self._process_outbox()
            result = self.env["ai.bridge.decision"]._job_resolve(decision.job_id)
        self.assertEqual(result, {"skipped": True})
        self.assertEqual(len(claude.requests), 1)
