-- A change is recorded under one name in the audit trail and the event log alike (storyboard.kernel.Changes):
-- the audit rows written before under a name of their own take the event's name, so filters find old and new alike.
update audit_event
   set action = case action
       when 'user.create' then 'user.created'
       when 'user.update' then 'user.updated'
       when 'user.password' then 'user.password_changed'
       when 'user.disable' then 'user.disabled'
       when 'user.enable' then 'user.enabled'
       when 'user.delete' then 'user.deleted'
       when 'token.create' then 'token.created'
       when 'token.revoke' then 'token.revoked'
       when 'asset.delete' then 'asset.deleted'
       when 'asset.restore' then 'asset.restored'
       when 'asset.purge' then 'asset.purged'
       when 'prompt_log.delete' then 'prompt_log.deleted'
       when 'webhook.create' then 'webhook.created'
       when 'webhook.update' then 'webhook.updated'
       when 'webhook.delete' then 'webhook.deleted'
       when 'webhook.pause' then 'webhook.paused'
       when 'prompt.version_create' then 'prompt.version_created'
       when 'prompt.label_move' then 'prompt.label_moved'
       when 'prompt.label_delete' then 'prompt.label_deleted'
       when 'prompt.archive' then 'prompt.archived'
       when 'prompt.unarchive' then 'prompt.unarchived'
       when 'budget.delete' then 'budget.deleted'
       end
 where action in ('user.create', 'user.update', 'user.password', 'user.disable', 'user.enable', 'user.delete',
                  'token.create', 'token.revoke', 'asset.delete', 'asset.restore', 'asset.purge', 'prompt_log.delete',
                  'webhook.create', 'webhook.update', 'webhook.delete', 'webhook.pause', 'prompt.version_create',
                  'prompt.label_move', 'prompt.label_delete', 'prompt.archive', 'prompt.unarchive', 'budget.delete');
